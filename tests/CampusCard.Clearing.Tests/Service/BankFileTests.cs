using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Files;
using FsCheck;
using FsCheck.Fluent;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The bank's daily file read by its configured layout (Finance:BankFile): the columns in the bank's order, amounts in
/// fen or in yuan with decimals, a header or none, the bank's date format; each refusal names its line and the setting
/// names itself when wrong.
/// </summary>
public class BankFileTests
{
    private static readonly DateOnly Day = new(2026, 9, 1);

    /// <summary>A CCB-like export: reference first, the payer's name, the person number, a compact date, yuan, a memo.</summary>
    private static readonly BankFileOptions Ccb = new()
    {
        Columns = "reference, skip, person_no, date, amount, skip",
        Amount = BankAmountUnit.Yuan,
        DateFormat = "yyyyMMdd",
        Header = BankFileHeader.Yes,
    };

    [Fact]
    public void The_default_layout_is_date_reference_person_and_fen_with_an_optional_header()
    {
        var layout = BankFileLayout.From(new BankFileOptions());

        var withHeader = layout.Parse("date,reference,person_no,amount_fen\n2026-09-01,BR-1,2021001,5000\n", Day);
        var without = layout.Parse("2026-09-01,BR-1,2021001,5000\r\n\r\n2026-09-01,BR-2,2021002,0\r\n", Day);

        Assert.Equal(["BR-1 2021001 5000"], withHeader.Select(Describe));
        Assert.Equal(["BR-1 2021001 5000", "BR-2 2021002 0"], without.Select(Describe));
    }

    [Fact]
    public void A_CCB_like_file_in_yuan_with_its_own_column_order_is_read_into_fen()
    {
        var layout = BankFileLayout.From(Ccb);
        var text = "交易流水号,户名,学工号,交易日期,交易金额(元),摘要\n" +
                   "BR-1,张三,2021001,20260901,50.00,\"圈存, 一卡通\"\n" +
                   "BR-2,李四,2021002,20260901,\"29.9\",圈存\n" +
                   "BR-3,王五,2021003,20260901,100,\n" +
                   "BR-4,赵六,2021004,20260901,0.05,圈存\n";

        var lines = layout.Parse(text, Day);

        Assert.Equal(["BR-1 2021001 5000", "BR-2 2021002 2990", "BR-3 2021003 10000", "BR-4 2021004 5"], lines.Select(Describe));
    }

    [Theory]
    [InlineData("12.345", "line 3: the amount '12.345' has more than two decimals (yuan)")]
    [InlineData("-5.00", "line 3: the amount '-5.00' is negative (yuan)")]
    [InlineData("五十", "line 3: the amount '五十' is not a number of yuan such as 123.45 (yuan)")]
    [InlineData("12.", "line 3: the amount '12.' is not a number of yuan such as 123.45 (yuan)")]
    [InlineData(".50", "line 3: the amount '.50' is not a number of yuan such as 123.45 (yuan)")]
    [InlineData("1,234.00", "line 3: the amount '1,234.00' is not a number of yuan such as 123.45 (yuan)")]
    [InlineData("99999999999999999999", "line 3: the amount '99999999999999999999' is too large (yuan)")]
    public void An_amount_in_yuan_that_is_not_one_is_refused_naming_its_line(string amount, string message)
    {
        var text = $"header\nBR-1,张三,2021001,20260901,50.00,\nBR-2,李四,2021002,20260901,\"{amount}\",\n";

        var refused = Assert.Throws<BadFileException>(() => BankFileLayout.From(Ccb).Parse(text, Day));

        Assert.Equal(message, refused.Message);
    }

    [Theory]
    [InlineData("2026-09-01,BR-1,P1,12.50", "line 1: the amount '12.50' is not a whole number of fen (fen)")]
    [InlineData("2026-09-01,BR-1,P1", "line 1: 3 fields, expected 4: date,reference,person_no,amount")]
    [InlineData("2026-09-02,BR-1,P1,100", "line 1: it is of 2026-09-02, not of 2026-09-01")]
    [InlineData("2026-09-01,BR-1,P1,100\n09/01/2026,BR-2,P1,100", "line 2: the date '09/01/2026' is not written yyyy-MM-dd")]
    [InlineData("2026-09-01,,P1,100", "line 1: the reference and the person_no are required")]
    public void A_line_of_the_default_layout_that_is_not_one_is_refused_naming_it(string text, string message)
    {
        var refused = Assert.Throws<BadFileException>(() => BankFileLayout.From(new BankFileOptions()).Parse(text, Day));

        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void Without_a_header_every_line_is_data_and_without_a_date_column_the_file_is_the_days()
    {
        var options = new BankFileOptions { Columns = "person_no,reference,amount", Header = BankFileHeader.No };

        var refused = Assert.Throws<BadFileException>(() => BankFileLayout.From(options).Parse("person_no,reference,amount\n2021001,BR-1,100\n", Day));
        var lines = BankFileLayout.From(options).Parse("2021001,BR-1,100\n", Day);

        Assert.Equal(1, refused.Line);
        Assert.Equal(["BR-1 2021001 100"], lines.Select(Describe));
    }

    [Theory]
    [InlineData("date,reference,person_no,amount,memo", null, null, "Finance:BankFile:Columns (Finance__BankFile__Columns) names 'memo'")]
    [InlineData("date,reference,amount", null, null, "Finance:BankFile:Columns (Finance__BankFile__Columns) is 'date,reference,amount'")]
    [InlineData("date,reference,person_no,amount,amount", null, null, "it names reference, person_no and amount once each")]
    [InlineData(null, "latin1", null, "Finance:BankFile:Encoding (Finance__BankFile__Encoding) is 'latin1': it is one of auto, utf-8, gb18030, gbk")]
    [InlineData(null, null, "yyyy", "Finance:BankFile:DateFormat (Finance__BankFile__DateFormat) is 'yyyy'")]
    [InlineData(null, null, "%", "Finance:BankFile:DateFormat (Finance__BankFile__DateFormat) is '%'")]
    public void Settings_the_service_cannot_read_a_file_by_are_refused_naming_the_setting(string? columns, string? encoding, string? dateFormat, string expected)
    {
        var options = new BankFileOptions();
        options.Columns = columns ?? options.Columns;
        options.Encoding = encoding ?? options.Encoding;
        options.DateFormat = dateFormat ?? options.DateFormat;

        var problem = BankFileLayout.Problem(options);

        Assert.Contains(expected, problem);
        Assert.Throws<InvalidOperationException>(() => BankFileLayout.From(options));
    }

    [Fact]
    public void Any_bytes_in_any_layout_are_read_or_refused_as_a_bad_file_and_nothing_else()
    {
        var layouts = new[] { new BankFileOptions(), Ccb, new BankFileOptions { Columns = "amount,person_no,reference", Amount = BankAmountUnit.Yuan } }
            .Select(BankFileLayout.From).ToArray();
        byte[] interesting = [.. "2026-09-01,BR-1,P1,12.50\n"u8, .. "20260901-\"\r 张"u8, 0xD5, 0xC5];
        var anyFile = Gen.ArrayOf(Gen.Frequency<byte>((4, Gen.Elements(interesting)), (1, ArbMap.Default.GeneratorFor<byte>())));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2_000), Prop.ForAll(anyFile.ToArbitrary(), bytes => layouts.All(layout =>
        {
            try
            {
                return layout.Parse(FileText.Decode(bytes, TextEncoding.Auto), Day).All(l => l.AmountFen >= 0 && l.Reference.Length > 0);
            }
            catch (BadFileException e)
            {
                return e.Line >= 1;
            }
        })));
    }

    private static string Describe(BankLine line) => $"{line.Reference} {line.PersonNo} {line.AmountFen}";
}
