using System.Buffers.Binary;

namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// Integers as MessagePack writes them (the format Lua's cmsgpack reads and writes in Redis), each in its shortest form:
/// 0..127 and -32..-1 in one byte, then one type byte and 1, 2, 4 or 8 big-endian bytes. A value Lua held as a double that
/// no 64-bit integer equals is written by cmsgpack as a float; it is read back truncated, as Lua's struct.pack('i8') would.
/// </summary>
public static class MessagePackIntegers
{
    /// <summary>The most bytes one integer takes.</summary>
    public const int MaxLength = 9;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="to"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> to, long value)
    {
        if (value is >= -32 and <= 127)
        {
            to[0] = (byte)value;
            return 1;
        }
        if (value > 0)
        {
            return value switch
            {
                <= byte.MaxValue => Put(to, 0xcc, 1, value),
                <= ushort.MaxValue => Put(to, 0xcd, 2, value),
                <= uint.MaxValue => Put(to, 0xce, 4, value),
                _ => Put(to, 0xcf, 8, value),
            };
        }
        return value switch
        {
            >= sbyte.MinValue => Put(to, 0xd0, 1, value),
            >= short.MinValue => Put(to, 0xd1, 2, value),
            >= int.MinValue => Put(to, 0xd2, 4, value),
            _ => Put(to, 0xd3, 8, value),
        };
    }

    /// <summary>Reads one integer from the start of <paramref name="from"/>; returns the bytes it took, or 0 when none is there.</summary>
    public static int Read(ReadOnlySpan<byte> from, out long value)
    {
        value = 0;
        if (from.IsEmpty) return 0;
        var type = from[0];
        if (type <= 0x7f || type >= 0xe0)
        {
            value = (sbyte)type;
            return 1;
        }
        var size = type switch
        {
            0xcc or 0xd0 => 1,
            0xcd or 0xd1 => 2,
            0xce or 0xd2 or 0xca => 4,
            0xcf or 0xd3 or 0xcb => 8,
            _ => 0,
        };
        if (size == 0 || from.Length < 1 + size) return 0;
        var bytes = from.Slice(1, size);
        value = type switch
        {
            0xcc => bytes[0],
            0xcd => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            0xce => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            0xcf => (long)BinaryPrimitives.ReadUInt64BigEndian(bytes),
            0xd0 => (sbyte)bytes[0],
            0xd1 => BinaryPrimitives.ReadInt16BigEndian(bytes),
            0xd2 => BinaryPrimitives.ReadInt32BigEndian(bytes),
            0xd3 => BinaryPrimitives.ReadInt64BigEndian(bytes),
            0xca => (long)BinaryPrimitives.ReadSingleBigEndian(bytes),
            _ => (long)BinaryPrimitives.ReadDoubleBigEndian(bytes),
        };
        return 1 + size;
    }

    private static int Put(Span<byte> to, byte type, int size, long value)
    {
        to[0] = type;
        var bytes = to.Slice(1, size);
        switch (size)
        {
            case 1:
                bytes[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
                break;
            default:
                BinaryPrimitives.WriteInt64BigEndian(bytes, value);
                break;
        }
        return 1 + size;
    }
}
