using System.Text;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>The values fuzzers know to break parsers and validators: boundaries, extremes, encodings and injections.</summary>
public static class InterestingValues
{
    public static readonly long[] Integers =
    [
        0, 1, -1, 2, long.MaxValue, long.MinValue, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue,
        10_000_000, 10_000_001, -10_000_000, 1L << 53, -(1L << 53), 4 * 3600, 4 * 3600 + 1, 86_400L * 365 * 10_000, 100_000, 1_000, 1_001, 500, 501,
    ];

    /// <summary>Enum numbers no enum of the API defines (and a few that are just past the defined ones).</summary>
    public static readonly long[] EnumNumbers = [99, 1000, -1, int.MaxValue, int.MinValue, 12, 8, 42, 0];

    public static readonly ulong[] Bools = [2, ulong.MaxValue, 0, 1, 0x80];

    /// <summary>Seconds of a Timestamp: past the ends of its range (0001-01-01 to 9999-12-31), at them, and ordinary.</summary>
    public static readonly long[] TimestampSeconds = [long.MaxValue, long.MinValue, -62_135_596_801, -62_135_596_800, 253_402_300_799, 253_402_300_800, 0, -1, 1_788_000_000];

    public static readonly long[] TimestampNanos = [-1, 1_000_000_000, int.MaxValue, int.MinValue, 0, 999_999_999];

    public static readonly byte[][] Strings = [.. Texts().Select(Encoding.UTF8.GetBytes), .. InvalidUtf8()];

    private static IEnumerable<string> Texts() =>
    [
        "", " ", "\t", "0", "-1", "NaN", "null", "true",
        new('A', 31), new('A', 32), new('A', 33), new('A', 63), new('A', 64), new('A', 65), new('A', 100), new('A', 101), new('A', 201), new('B', 1000),
        new('9', 5), new('9', 6), new('9', 7), new('9', 18), new('9', 19), new('9', 20), new('9', 21),
        "\0", "a\0b", "\r\n", "\u001b[31m", "\u007f", "line\nbreak",
        "张三", "💳💳", "\u202Eevil", "\u200B", "e\u0301", "Ａ１２３４５", "١٢٣٤٥٦", "²³⁴⁵⁶⁷", "߀߁߂߃߄߅", "İı", "ß",
        "'; DROP TABLE transactions; --", "%s%n%x", "{0}{1}", "../../etc/passwd", "${jndi:ldap://127.0.0.1/x}", "<script>", "\\", "\"", ",",
        "2026-09-01,x,y,1\n2026-09-01,x,y,-1", "=cmd|' /C calc'!A0", "a,\"b\"\"c\",d",
        "2026-02-30", "9999-12-31", "0001-01-01", "9999-12", "0001-01", "2026-9-1", "2026-09-01T00:00:00Z", "20260901", "2026-13", "0000-00", "-2026-09-01", "2026-09-01 ", "+002026-09-01",
        "9223372036854775808", "-9223372036854775809", "1e309", "-0", "0x10",
        "AAAAAAAAAAA=", "////", "=", "eyJ9", "!!!!",
    ];

    private static IEnumerable<byte[]> InvalidUtf8() =>
    [
        [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0x31, 0x32, 0xFE, 0x33], [0xEF, 0xBB, 0xBF, 0x31],
    ];

    /// <summary>Strings made from the seed's own value: near-valid variants reach the checks after the first.</summary>
    public static byte[] Near(byte[] value, Random random)
    {
        var text = Encoding.UTF8.GetString(value);
        var variants = new[]
        {
            text + "x", text.ToUpperInvariant(), text.ToLowerInvariant(), " " + text, text + " ", "0" + text, text + text,
            text.Length > 1 ? text[..^1] : "x", text.Length > 0 ? text[..(text.Length / 2)] : "", text.Replace('-', '_'),
            text.Length > 0 ? text[..^1] + (char)(text[^1] + 1) : "1", text + "\u0000", text + "\u200B",
        };
        return Encoding.UTF8.GetBytes(variants[random.Next(variants.Length)]);
    }

    public static byte[] Long(Random random)
    {
        var lengths = new[] { 4_096, 65_536, 300_000, 1_100_000 };
        var length = lengths[random.Next(lengths.Length)];
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)('a' + random.Next(26)));
        return bytes;
    }
}
