namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (HdrHistogram's layout): exact below 128 µs, then
/// 64 buckets per power of two, so a reported value is at most 1.6 % above the true one. Recording is a
/// few integer operations and never allocates; one histogram per terminal, merged for the report.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int SubCount = 1 << SubBits;
    private const int Linear = 2 * SubCount;
    private const int Magnitudes = 30;
    private const long Highest = (1L << (Magnitudes + SubBits + 1)) - 1;

    private readonly long[] _counts = new long[Linear + Magnitudes * SubCount];

    public long Count { get; private set; }
    public long MaxMicros { get; private set; }
    public long SumMicros { get; private set; }

    public void Record(long micros)
    {
        micros = Math.Clamp(micros, 0, Highest);
        _counts[IndexOf(micros)]++;
        Count++;
        SumMicros += micros;
        if (micros > MaxMicros) MaxMicros = micros;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        SumMicros += other.SumMicros;
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = SumMicros = MaxMicros = 0;
    }

    /// <summary>The highest latency of the bucket holding the given quantile (0..1), capped by the maximum seen.</summary>
    public long Percentile(double quantile)
    {
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(HighestIn(i), MaxMicros);
        }
        return MaxMicros;
    }

    private static int IndexOf(long micros)
    {
        if (micros < Linear) return (int)micros;
        var shift = 63 - (int)long.LeadingZeroCount(micros) - SubBits;
        return Linear + (shift - 1) * SubCount + (int)(micros >> shift) - SubCount;
    }

    private static long HighestIn(int index)
    {
        if (index < Linear) return index;
        var magnitude = (index - Linear) / SubCount + 1;
        var sub = (index - Linear) % SubCount + SubCount;
        return ((long)(sub + 1) << magnitude) - 1;
    }
}
