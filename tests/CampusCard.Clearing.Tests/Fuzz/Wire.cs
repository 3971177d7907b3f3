namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>The protobuf wire types, including the deprecated groups (3, 4) and the two numbers no encoder uses (6, 7).</summary>
public enum WireType : byte
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
    Invalid6 = 6,
    Invalid7 = 7,
}

/// <summary>
/// One field as it travels: its number, its wire type and its payload (the number of a varint or a fixed field, the bytes
/// of a length-delimited one). Written back exactly as given, so a mutation can pair any number with any wire type.
/// </summary>
public sealed record WireField(long Number, WireType Type, ulong Value, byte[] Bytes)
{
    public static WireField Varint(long number, ulong value) => new(number, WireType.Varint, value, []);

    public static WireField Delimited(long number, byte[] bytes) => new(number, WireType.LengthDelimited, 0, bytes);
}

/// <summary>Protobuf's wire format, written by hand so that it can also be written wrong.</summary>
public static class Wire
{
    public static byte[] Write(IEnumerable<WireField> fields)
    {
        var output = new MemoryStream();
        foreach (var field in fields) WriteField(output, field);
        return output.ToArray();
    }

    public static void WriteField(Stream output, WireField field)
    {
        WriteVarint(output, ((ulong)field.Number << 3) | (byte)field.Type);
        switch (field.Type)
        {
            case WireType.Varint:
                WriteVarint(output, field.Value);
                break;
            case WireType.Fixed64:
                output.Write(BitConverter.GetBytes(field.Value));
                break;
            case WireType.Fixed32:
                output.Write(BitConverter.GetBytes((uint)field.Value));
                break;
            case WireType.LengthDelimited:
                WriteVarint(output, (ulong)field.Bytes.Length);
                output.Write(field.Bytes);
                break;
            default:
                output.Write(field.Bytes);
                break;
        }
    }

    public static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    public static byte[] Varint(ulong value)
    {
        var output = new MemoryStream();
        WriteVarint(output, value);
        return output.ToArray();
    }

    /// <summary>The fields of a well-formed message, in order; null when the bytes are not one (groups are not read).</summary>
    public static List<WireField>? TryRead(ReadOnlySpan<byte> bytes)
    {
        var fields = new List<WireField>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (!TryReadVarint(bytes, ref at, out var tag)) return null;
            var type = (WireType)(tag & 7);
            var number = (long)(tag >> 3);
            switch (type)
            {
                case WireType.Varint when TryReadVarint(bytes, ref at, out var value):
                    fields.Add(new WireField(number, type, value, []));
                    break;
                case WireType.Fixed64 when at + 8 <= bytes.Length:
                    fields.Add(new WireField(number, type, BitConverter.ToUInt64(bytes[at..(at + 8)]), []));
                    at += 8;
                    break;
                case WireType.Fixed32 when at + 4 <= bytes.Length:
                    fields.Add(new WireField(number, type, BitConverter.ToUInt32(bytes[at..(at + 4)]), []));
                    at += 4;
                    break;
                case WireType.LengthDelimited when TryReadVarint(bytes, ref at, out var length) && length <= (ulong)(bytes.Length - at):
                    fields.Add(new WireField(number, type, 0, bytes.Slice(at, (int)length).ToArray()));
                    at += (int)length;
                    break;
                default:
                    return null;
            }
        }
        return fields;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> bytes, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && at < bytes.Length; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }
}
