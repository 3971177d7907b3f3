using System.Text;
using Utf8Validation = System.Text.Unicode.Utf8;

namespace CampusCard.Clearing.Files;

/// <summary>
/// A file's bytes as text, or a <see cref="BadFileException"/> naming the first line whose bytes are not of the
/// encoding: never replacement characters, never mojibake. A line ends at \r\n, \n or \r (old Excel for Mac), bytes
/// that are part of no character in UTF-8, GBK or GB18030, so lines are numbered as the CSV reader numbers them.
/// </summary>
public static class FileText
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    // Strict decoders: bytes that are not a character throw instead of becoming U+FFFD. The code pages come from the
    // provider itself, so nothing is registered process-wide.
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding Gb18030 = CodePage(54936);
    private static readonly Encoding Gbk = CodePage(936);

    public static string Decode(ReadOnlySpan<byte> bytes, TextEncoding encoding)
    {
        var bom = bytes.StartsWith(Utf8Bom);
        if (bom && encoding is not (TextEncoding.Auto or TextEncoding.Utf8))
            throw new BadFileException(1, $"the file begins with UTF-8's byte order mark: it is UTF-8, not {TextEncodings.Name(encoding)}");
        var body = bom ? bytes[Utf8Bom.Length..] : bytes;
        var lines = Lines(body);
        var chosen = encoding == TextEncoding.Auto ? Detect(body, lines) : encoding;
        var text = new StringBuilder(body.Length);
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(DecodeLine(body[lines[i].Content], chosen, i + 1, detected: encoding == TextEncoding.Auto));
            text.Append(lines[i].End);
        }
        return text.ToString();
    }

    private readonly record struct Line(Range Content, string End);

    private static List<Line> Lines(ReadOnlySpan<byte> body)
    {
        var lines = new List<Line>();
        var start = 0;
        for (var end = body[start..].IndexOfAny((byte)'\r', (byte)'\n'); end >= 0; end = body[start..].IndexOfAny((byte)'\r', (byte)'\n'))
        {
            var content = new Range(start, start + end);
            var crlf = body[start + end] == '\r' && start + end + 1 < body.Length && body[start + end + 1] == '\n';
            var terminator = crlf ? "\r\n" : body[start + end] == '\r' ? "\r" : "\n";
            lines.Add(new Line(content, terminator));
            start += end + terminator.Length;
        }
        lines.Add(new Line(new Range(start, body.Length), ""));
        return lines;
    }

    /// <summary>UTF-8 when every line is; else GB18030, unless a line of other characters than ASCII is UTF-8 (a file pasted together from two).</summary>
    private static TextEncoding Detect(ReadOnlySpan<byte> body, List<Line> lines)
    {
        int? firstUtf8 = null;
        int? firstOther = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = body[lines[i].Content];
            if (Ascii.IsValid(line)) continue;
            if (Utf8Validation.IsValid(line)) firstUtf8 ??= i + 1;
            else firstOther ??= i + 1;
        }
        if (firstOther is not { } other) return TextEncoding.Utf8;
        if (firstUtf8 is { } utf8)
            throw new BadFileException(other, $"it is not UTF-8 but line {utf8} is: the file mixes encodings (save it again in one, or name its encoding)");
        return TextEncoding.Gb18030;
    }

    private static string DecodeLine(ReadOnlySpan<byte> line, TextEncoding encoding, int number, bool detected)
    {
        try
        {
            return Of(encoding).GetString(line);
        }
        catch (DecoderFallbackException e)
        {
            var what = detected ? "neither UTF-8 nor GB18030" : $"not {TextEncodings.Name(encoding)}";
            throw new BadFileException(number, $"the bytes {Convert.ToHexString(e.BytesUnknown ?? [])} are {what}");
        }
    }

    private static Encoding Of(TextEncoding encoding) => encoding switch
    {
        TextEncoding.Gb18030 => Gb18030,
        TextEncoding.Gbk => Gbk,
        _ => Utf8,
    };

    private static Encoding CodePage(int codePage) =>
        CodePagesEncodingProvider.Instance.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException($"code page {codePage} is not available");
}
