namespace CampusCard.Clearing.Files;

/// <summary>How a file's bytes become text: detected, or named by whoever hands the file over.</summary>
public enum TextEncoding
{
    /// <summary>UTF-8 after its byte order mark; else UTF-8 when every line is; else GB18030. A file mixing the two is refused.</summary>
    Auto,
    Utf8,
    /// <summary>GB18030, the superset of GBK that covers all of Unicode.</summary>
    Gb18030,
    /// <summary>GBK (code page 936): what Excel's "CSV" is on a Chinese Windows.</summary>
    Gbk,
}

/// <summary>The encodings' names as operators give them (an option, a setting).</summary>
public static class TextEncodings
{
    public static IReadOnlyList<string> Names => Known;

    private static readonly string[] Known = ["auto", "utf-8", "gb18030", "gbk"];

    public static string Name(TextEncoding encoding) => Known[(int)encoding];

    /// <summary>The encoding of a name in any case (empty is auto); null for a name that is not one of <see cref="Names"/>.</summary>
    public static TextEncoding? Parse(string? name)
    {
        var index = Array.IndexOf(Known, string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant());
        return index < 0 ? null : (TextEncoding)index;
    }
}
