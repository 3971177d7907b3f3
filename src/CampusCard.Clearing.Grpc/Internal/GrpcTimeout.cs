using System.Globalization;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>The grpc-timeout header: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>The longest a timer can wait: longer timeouts are as good as none.</summary>
    public static readonly TimeSpan MaxTimerDueTime = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length is < 2 or > 9
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan? parsed = value[^1] switch
        {
            'H' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerHour),
            'M' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerMinute),
            'S' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerSecond),
            'm' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerMillisecond),
            'u' => TimeSpan.FromTicks(amount * TimeSpan.TicksPerMicrosecond),
            'n' => TimeSpan.FromTicks((amount + 99) / 100),
            _ => null,
        };
        if (parsed is not { } result)
        {
            return false;
        }

        timeout = result;
        return true;
    }

    /// <summary>Formats a positive timeout in the finest unit that fits in 8 digits, rounding up.</summary>
    public static string Format(TimeSpan timeout)
    {
        ReadOnlySpan<(long Ticks, char Unit)> units =
        [
            (TimeSpan.TicksPerMicrosecond, 'u'),
            (TimeSpan.TicksPerMillisecond, 'm'),
            (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'),
            (TimeSpan.TicksPerHour, 'H'),
        ];
        foreach (var (ticks, unit) in units)
        {
            var amount = (timeout.Ticks + ticks - 1) / ticks;
            if (amount <= MaxValue)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
