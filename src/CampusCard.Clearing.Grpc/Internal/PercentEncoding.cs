using System.Globalization;
using System.Text;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>The grpc-message encoding: UTF-8, with bytes outside 0x20-0x7E and '%' written as %XX.</summary>
internal static class PercentEncoding
{
    public static string Encode(string value)
    {
        if (!value.Any(c => c is < ' ' or > '~' or '%'))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        return builder.ToString();
    }

    // Malformed escapes are kept as they are: the spec asks receivers to be lenient.
    public static string Decode(string value)
    {
        if (!value.Contains('%'))
        {
            return value;
        }

        var bytes = new byte[value.Length];
        var count = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes[count++] = b;
                i += 2;
            }
            else
            {
                bytes[count++] = (byte)value[i]; // header values are ASCII
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, count);
    }
}
