using nietras.SeparatedValues;

namespace CampusCard.Clearing.Files;

/// <summary>One record of a CSV file: the line it starts on and its fields, unquoted and trimmed.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// CSV as RFC 4180 and Excel write it (Sep): fields in double quotes may hold commas, doubled quotes and line breaks;
/// \r\n or \n; blank lines are skipped. Every record is read before any is used, so a bad line refuses the whole file.
/// </summary>
public static class CsvRecords
{
    private static readonly SepReaderOptions Format = Sep.New(',').Reader(o => o with
    {
        HasHeader = false,
        Unescape = true,
        Trim = SepTrim.All,
        DisableColCountCheck = true,
    });

    /// <summary>The records of a file's bytes, decoded as <see cref="FileText.Decode"/> does.</summary>
    public static List<CsvRecord> Read(ReadOnlySpan<byte> bytes, TextEncoding encoding) => Parse(FileText.Decode(bytes, encoding));

    /// <summary>The longest record Sep reads (its buffer's limit); only a quote left open makes one this long.</summary>
    private const int LongestRecord = 16 * 1024 * 1024;

    public static List<CsvRecord> Parse(string text)
    {
        var records = new List<CsvRecord>();
        var nextLine = 1;
        try
        {
            using var reader = Format.FromText(text);
            foreach (var row in reader)
            {
                // Without a header, Sep 0.18 gives the first row's LineNumberFrom as the line after it; it starts on line 1.
                var line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
                nextLine = row.LineNumberToExcl;
                var fields = new string[row.ColCount];
                for (var i = 0; i < fields.Length; i++) fields[i] = row[i].ToString();
                if (fields is not [""]) records.Add(new CsvRecord(line, fields));
            }
        }
        catch (NotSupportedException)
        {
            throw new BadFileException(nextLine, $"a record of more than {LongestRecord} characters: is a quote \" left open?");
        }
        return records;
    }
}
