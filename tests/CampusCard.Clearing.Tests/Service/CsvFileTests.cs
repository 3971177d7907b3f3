using System.Text;
using System.Text.RegularExpressions;
using CampusCard.Clearing.Files;
using CampusCard.Clearing.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The files people hand the CLI and the service (student imports, subsidy uploads, bank files): Excel's CSV quoting,
/// UTF-8 with and without a byte order mark and GBK from a Chinese Windows read as the same names, and bytes of another
/// encoding refused by their line, never stored as mojibake.
/// </summary>
public class CsvFileTests
{
    private static readonly Encoding Gbk = ChineseWindows.Gbk;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private const string Students = "person_no,name\r\n2026001,张三\r\n2026002,李四\r\n";

    [Fact]
    public void The_test_files_GBK_bytes_are_the_real_ones()
    {
        Assert.Equal("D5C5C8FD", Convert.ToHexString(Gbk.GetBytes("张三")));
        Assert.Equal("C0EECBC4", Convert.ToHexString(Gbk.GetBytes("李四")));
    }

    [Fact]
    public void Quoted_fields_with_commas_quotes_and_line_breaks_CRLF_and_blank_lines_are_read_as_Excel_writes_them()
    {
        var text = "person_no,name\r\n\r\n2026001,\"王\"\"小\"\"二, 三\"\r\n2026002,\"第一行\r\n第二行\"\r\n   \r\n2026003,  钱三  \r\n\r\n";

        var records = CsvRecords.Parse(text);

        Assert.Equal(
            ["1: person_no|name", "3: 2026001|王\"小\"二, 三", "4: 2026002|第一行\r\n第二行", "7: 2026003|钱三"],
            records.Select(r => $"{r.Line}: {string.Join('|', r.Fields)}"));
    }

    [Theory]
    [InlineData("utf-8 without a byte order mark", TextEncoding.Auto)]
    [InlineData("utf-8 with a byte order mark", TextEncoding.Auto)]
    [InlineData("gbk", TextEncoding.Auto)]
    [InlineData("utf-8 with a byte order mark", TextEncoding.Utf8)]
    [InlineData("gbk", TextEncoding.Gbk)]
    [InlineData("gbk", TextEncoding.Gb18030)]
    public void UTF8_with_or_without_its_byte_order_mark_and_GBK_give_the_same_names(string saved, TextEncoding encoding)
    {
        var bytes = saved switch
        {
            "gbk" => Gbk.GetBytes(Students),
            "utf-8 with a byte order mark" => [.. Bom, .. Encoding.UTF8.GetBytes(Students)],
            _ => Encoding.UTF8.GetBytes(Students),
        };

        var records = CsvRecords.Read(bytes, encoding);

        Assert.Equal(["person_no|name", "2026001|张三", "2026002|李四"], records.Select(r => string.Join('|', r.Fields)));
    }

    [Fact]
    public void Lines_ending_in_a_carriage_return_alone_are_lines_to_the_decoder_and_to_the_CSV_reader_alike()
    {
        var bytes = (byte[])[.. Gbk.GetBytes("2026001,张三\r2026002,李四\r2026003,"), 0xD5, .. "\r"u8];

        var refused = Assert.Throws<BadFileException>(() => CsvRecords.Read(bytes, TextEncoding.Gbk));
        var records = CsvRecords.Read(bytes[..^2], TextEncoding.Gbk);

        Assert.Equal(3, refused.Line);
        Assert.Equal(["1: 2026001|张三", "2: 2026002|李四", "3: 2026003|"], records.Select(r => $"{r.Line}: {string.Join('|', r.Fields)}"));
    }

    [Fact]
    public void A_GB18030_character_outside_GBK_is_read_as_GB18030_and_refused_as_GBK()
    {
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(54936)!.GetBytes("2026001,张三\n2026002,𠀀\n");

        var detected = CsvRecords.Read(bytes, TextEncoding.Auto);
        var asGbk = Assert.Throws<BadFileException>(() => CsvRecords.Read(bytes, TextEncoding.Gbk));

        Assert.Equal("𠀀", detected[1].Fields[1]);
        Assert.Equal(2, asGbk.Line);
    }

    [Fact]
    public void A_character_cut_short_is_refused_naming_its_line_whatever_the_encoding()
    {
        // Line 3 ends in the first byte of 赵 (D5D4) only: the file was cut, or pasted from elsewhere.
        var bytes = (byte[])[.. Gbk.GetBytes("person_no,name\n2026001,张三\n2026002,"), 0xD5, .. Gbk.GetBytes("\n2026003,李四\n")];

        var detected = Assert.Throws<BadFileException>(() => CsvRecords.Read(bytes, TextEncoding.Auto));
        var named = Assert.Throws<BadFileException>(() => CsvRecords.Read(bytes, TextEncoding.Gbk));
        var utf8 = Assert.Throws<BadFileException>(() => CsvRecords.Read(bytes, TextEncoding.Utf8));

        Assert.Equal((3, "line 3: the bytes D5 are neither UTF-8 nor GB18030"), (detected.Line, detected.Message));
        Assert.Equal((3, "line 3: the bytes D5 are not gbk"), (named.Line, named.Message));
        Assert.Equal(2, utf8.Line);
    }

    [Fact]
    public void A_file_mixing_UTF8_and_GBK_lines_is_refused_naming_both_instead_of_read_as_mojibake()
    {
        var bytes = (byte[])[.. "person_no,name\n2026001,张三\n"u8, .. Gbk.GetBytes("2026002,李四\n")];

        var mixed = Assert.Throws<BadFileException>(() => CsvRecords.Read(bytes, TextEncoding.Auto));

        Assert.Equal(3, mixed.Line);
        Assert.Contains("line 2 is", mixed.Message);
        Assert.Contains("mixes encodings", mixed.Message);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_in_a_file_named_GBK_is_refused()
    {
        var bytes = (byte[])[.. Bom, .. Encoding.UTF8.GetBytes(Students)];

        var named = Assert.Throws<BadFileException>(() => CsvRecords.Read(bytes, TextEncoding.Gbk));

        Assert.Equal("line 1: the file begins with UTF-8's byte order mark: it is UTF-8, not gbk", named.Message);
    }

    [Fact]
    public void A_quote_left_open_over_more_than_Seps_longest_record_is_refused_as_a_bad_file()
    {
        var text = "2026001,张三\n2026002,\"" + new string('x', 17 * 1024 * 1024);

        var refused = Assert.Throws<BadFileException>(() => CsvRecords.Parse(text));

        Assert.StartsWith("line 2: a record of more than 16777216 characters", refused.Message);
    }

    [Fact]
    public void The_encodings_are_named_as_operators_write_them()
    {
        Assert.Equal(
            [TextEncoding.Auto, TextEncoding.Auto, TextEncoding.Utf8, TextEncoding.Gb18030, TextEncoding.Gbk, null],
            new[] { "", "auto", "UTF-8", "gb18030", " GBK ", "latin1" }.Select(TextEncodings.Parse));
    }

    /// <summary>Bytes that CSV and the three encodings find interesting, and any byte at all.</summary>
    private static readonly byte[] Interesting = [.. "a1,\"\r\n .-"u8, .. "张"u8, 0xD5, 0xC5, 0x81, 0x30, 0xEF, 0xBB, 0xBF, 0x00];

    private static readonly Gen<byte[]> AnyFile = Gen.ArrayOf(Gen.Frequency<byte>((3, Gen.Elements(Interesting)), (1, ArbMap.Default.GeneratorFor<byte>())));

    [Fact]
    public void Any_bytes_are_read_or_refused_as_a_bad_file_naming_a_line_of_it_and_nothing_else() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3_000), Prop.ForAll(AnyFile.ToArbitrary(), bytes =>
        {
            var lines = Regex.Count(Encoding.Latin1.GetString(bytes), "\r\n|\r|\n") + 1;
            return Enum.GetValues<TextEncoding>().All(encoding =>
            {
                try
                {
                    return CsvRecords.Read(bytes, encoding).All(r => r.Line >= 1 && r.Line <= lines && r.Fields.Count >= 1);
                }
                catch (BadFileException e)
                {
                    return e.Line >= 1 && e.Line <= lines;
                }
            });
        }));
}
