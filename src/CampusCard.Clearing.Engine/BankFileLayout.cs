using System.Globalization;
using CampusCard.Clearing.Files;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The bank's file read by its layout (<see cref="BankFileOptions"/>): each record a line of the business day
/// (reference, person_no, amount in fen), or a <see cref="BadFileException"/> naming the line that is not one.
/// </summary>
public sealed class BankFileLayout
{
    private const string Date = "date";
    private const string Reference = "reference";
    private const string PersonNo = "person_no";
    private const string Amount = "amount";
    private const string Skip = "skip";

    private static readonly string[] Names = [Date, Reference, PersonNo, Amount, Skip];
    private static readonly string[] Required = [Reference, PersonNo, Amount];

    private readonly BankFileOptions _options;
    private readonly string[] _columns;

    private BankFileLayout(BankFileOptions options, string[] columns, TextEncoding encoding)
    {
        _options = options;
        _columns = columns;
        Encoding = encoding;
    }

    /// <summary>The encoding of a file sent as bytes whose request names none.</summary>
    public TextEncoding Encoding { get; }

    /// <summary>The layout of the settings; InvalidOperationException naming the setting that is wrong.</summary>
    public static BankFileLayout From(BankFileOptions options) =>
        Problem(options) is { } problem ? throw new InvalidOperationException(problem) : new(options, Split(options.Columns), TextEncodings.Parse(options.Encoding)!.Value);

    /// <summary>What is wrong with the settings, naming the setting (and its environment variable); null when nothing is.</summary>
    public static string? Problem(BankFileOptions options)
    {
        var columns = Split(options.Columns);
        if (columns.FirstOrDefault(c => !Names.Contains(c)) is { } unknown)
            return $"Finance:BankFile:Columns (Finance__BankFile__Columns) names '{unknown}': a column is {string.Join(", ", Names)}";
        if (Required.Any(c => columns.Count(n => n == c) != 1) || columns.Count(n => n == Date) > 1)
            return $"Finance:BankFile:Columns (Finance__BankFile__Columns) is '{options.Columns}': it names reference, person_no and amount once each, date at most once";
        if (TextEncodings.Parse(options.Encoding) is null)
            return $"Finance:BankFile:Encoding (Finance__BankFile__Encoding) is '{options.Encoding}': it is one of {string.Join(", ", TextEncodings.Names)}";
        if (!RoundTrips(options.DateFormat))
            return $"Finance:BankFile:DateFormat (Finance__BankFile__DateFormat) is '{options.DateFormat}': it does not write a date that reads back (yyyy-MM-dd, yyyyMMdd…)";
        return null;
    }

    private static string[] Split(string columns) => [.. columns.Split(',').Select(c => c.Trim().ToLowerInvariant())];

    private static bool RoundTrips(string format)
    {
        var sample = new DateOnly(2026, 12, 31);
        try
        {
            return DateOnly.TryParseExact(sample.ToString(format, CultureInfo.InvariantCulture), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) && back == sample;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The lines of the bank's file of <paramref name="day"/>; every line is read before any is used.</summary>
    public List<BankLine> Parse(string text, DateOnly day)
    {
        var records = CsvRecords.Parse(text);
        var data = records.Count > 0 && IsHeader(records[0]) ? records.Skip(1) : records;
        return [.. data.Select(record => Line(record, day))];
    }

    private bool IsHeader(CsvRecord first) => _options.Header switch
    {
        BankFileHeader.Yes => true,
        BankFileHeader.No => false,
        _ => first.Line == 1 && (Has(Date) ? !TryDate(Field(first, Date), out _) : BankAmount.Parse(Field(first, Amount), _options.Amount).Fen is null),
    };

    private BankLine Line(CsvRecord record, DateOnly day)
    {
        if (record.Fields.Count != _columns.Length)
            throw new BadFileException(record.Line, $"{record.Fields.Count} fields, expected {_columns.Length}: {string.Join(',', _columns)}");
        if (Has(Date))
        {
            var text = Field(record, Date);
            if (!TryDate(text, out var date)) throw new BadFileException(record.Line, $"the date '{text}' is not written {_options.DateFormat}");
            if (date != day) throw new BadFileException(record.Line, $"it is of {date:yyyy-MM-dd}, not of {day:yyyy-MM-dd}");
        }
        var (reference, personNo, amount) = (Field(record, Reference), Field(record, PersonNo), Field(record, Amount));
        if (reference.Length == 0 || personNo.Length == 0) throw new BadFileException(record.Line, "the reference and the person_no are required");
        var (fen, problem) = BankAmount.Parse(amount, _options.Amount);
        if (fen is not { } amountFen) throw new BadFileException(record.Line, $"the amount '{amount}' {problem} ({Units(_options.Amount)})");
        return new BankLine(reference, personNo, amountFen, 0, 0);
    }

    private static string Units(BankAmountUnit unit) => unit == BankAmountUnit.Yuan ? "yuan" : "fen";

    private bool Has(string column) => _columns.Contains(column);

    private string Field(CsvRecord record, string column) => record.Fields.ElementAtOrDefault(Array.IndexOf(_columns, column)) ?? "";

    private bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, _options.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
