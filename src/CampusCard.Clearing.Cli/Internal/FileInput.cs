using System.CommandLine;
using System.CommandLine.Parsing;
using CampusCard.Clearing.Files;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>
/// A file the card office or finance hands the CLI, in the encoding it has (Excel on a Chinese Windows writes GBK). It
/// is read and decoded whole before anything is sent: bytes that are not of its encoding stop the run naming the line.
/// </summary>
internal static class FileInput
{
    /// <summary>--encoding: auto (the default: UTF-8 after a byte order mark; else UTF-8 when every line is; else GB18030), utf-8, gb18030 or gbk.</summary>
    public static Option<TextEncoding?> EncodingOption(string whenAbsent) => new("--encoding")
    {
        Description = $"the file's encoding, one of {string.Join(", ", TextEncodings.Names)}; {whenAbsent}",
        HelpName = string.Join('|', TextEncodings.Names),
        CustomParser = ParseEncoding,
    };

    /// <summary>What --encoding auto does, for the options' help.</summary>
    public const string Detection = "auto when absent: UTF-8 after a byte order mark, else UTF-8 when every line is, else GB18030 (GBK)";

    private static TextEncoding? ParseEncoding(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (TextEncodings.Parse(text) is { } encoding) return encoding;
        result.AddError($"--encoding: '{text}' is not one of {string.Join(", ", TextEncodings.Names)}");
        return null;
    }

    public static byte[] Bytes(FileInfo file) =>
        file.Exists ? File.ReadAllBytes(file.FullName) : throw CliFailure.Usage($"{file.FullName} does not exist");

    /// <summary>The file's CSV records, without a first line that starts with <paramref name="firstHeader"/>.</summary>
    public static List<CsvRecord> Records(FileInfo file, TextEncoding? encoding, string firstHeader)
    {
        List<CsvRecord> records;
        try
        {
            records = CsvRecords.Read(Bytes(file), encoding ?? TextEncoding.Auto);
        }
        catch (BadFileException e)
        {
            throw CliFailure.Usage($"{file.Name}, {e.Message}; nothing was sent");
        }
        var header = records.Count > 0 && records[0].Line == 1 && records[0].Fields[0].Equals(firstHeader, StringComparison.OrdinalIgnoreCase);
        return header ? records[1..] : records;
    }
}
