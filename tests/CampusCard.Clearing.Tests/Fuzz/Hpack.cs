using System.Text;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>
/// HPACK (RFC 7541), as much as a fuzzing client needs: it writes header fields as literals (never indexed, no Huffman), so
/// it can also write them wrong, and reads the server's header blocks with the static and dynamic tables. Kestrel writes no
/// Huffman-coded strings; one read here is reported as such, not decoded.
/// </summary>
public sealed class Hpack
{
    private static readonly (string Name, string Value)[] Static =
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"), (":scheme", "http"),
        (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"), (":status", "304"), (":status", "400"),
        (":status", "404"), (":status", "500"), ("accept-charset", ""), ("accept-encoding", "gzip, deflate"), ("accept-language", ""),
        ("accept-ranges", ""), ("accept", ""), ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""),
        ("cache-control", ""), ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""), ("etag", ""), ("expect", ""),
        ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""), ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""),
        ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""), ("server", ""), ("set-cookie", ""),
        ("strict-transport-security", ""), ("transfer-encoding", ""), ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ];

    private readonly List<(string Name, string Value)> _dynamic = [];

    /// <summary>A header block of literal fields without indexing, names and values as given (upper case and all).</summary>
    public static byte[] Encode(IEnumerable<(string Name, string Value)> headers)
    {
        var block = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            block.WriteByte(0);
            WriteString(block, name);
            WriteString(block, value);
        }
        return block.ToArray();
    }

    public static void WriteInteger(Stream output, byte first, int prefixBits, long value)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            output.WriteByte((byte)(first | value));
            return;
        }
        output.WriteByte((byte)(first | max));
        for (value -= max; value >= 128; value >>= 7) output.WriteByte((byte)(value % 128 + 128));
        output.WriteByte((byte)value);
    }

    private static void WriteString(Stream output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteInteger(output, 0, 7, bytes.Length);
        output.Write(bytes);
    }

    /// <summary>The fields of a block the server sent; null when the block cannot be read (a Huffman string, a bad index).</summary>
    public List<(string Name, string Value)>? Decode(ReadOnlySpan<byte> block)
    {
        var fields = new List<(string, string)>();
        var at = 0;
        while (at < block.Length)
        {
            var b = block[at];
            if ((b & 0x80) != 0)
            {
                if (Entry(ReadInteger(block, ref at, 7)) is not { } indexed) return null;
                fields.Add(indexed);
            }
            else if ((b & 0xE0) == 0x20)
            {
                ReadInteger(block, ref at, 5);
            }
            else
            {
                var incremental = (b & 0xC0) == 0x40;
                var index = ReadInteger(block, ref at, incremental ? 6 : 4);
                var name = index == 0 ? ReadString(block, ref at) : Entry(index)?.Name;
                var value = ReadString(block, ref at);
                if (name is null || value is null) return null;
                fields.Add((name, value));
                if (incremental) _dynamic.Insert(0, (name, value));
            }
        }
        return fields;
    }

    private (string Name, string Value)? Entry(long index) =>
        index >= 1 && index <= Static.Length ? Static[index - 1]
        : index > Static.Length && index - Static.Length <= _dynamic.Count ? _dynamic[(int)(index - Static.Length - 1)]
        : null;

    private static long ReadInteger(ReadOnlySpan<byte> block, ref int at, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        long value = block[at++] & max;
        if (value < max) return value;
        for (var shift = 0; at < block.Length && shift < 56; shift += 7)
        {
            var b = block[at++];
            value += (long)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        return value;
    }

    private static string? ReadString(ReadOnlySpan<byte> block, ref int at)
    {
        if (at >= block.Length) return null;
        var huffman = (block[at] & 0x80) != 0;
        var length = ReadInteger(block, ref at, 7);
        if (huffman || at + length > block.Length) return null;
        var text = Encoding.UTF8.GetString(block.Slice(at, (int)length));
        at += (int)length;
        return text;
    }
}
