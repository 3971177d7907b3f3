using System.Diagnostics;

namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>
/// When the measured phase runs, in Stopwatch timestamps. A call counts when it completes inside the
/// window; terminals stop starting calls once it closes. With a request budget (--count) the call that
/// spends the last of it closes the window.
/// </summary>
public sealed class MeasurementWindow(long? budget)
{
    private readonly TaskCompletionSource _budgetSpent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _start = long.MaxValue;
    private long _end = long.MaxValue;
    private long _remaining = budget ?? long.MaxValue;
    private volatile bool _closed;

    public bool IsClosed => _closed;
    public long Start => Volatile.Read(ref _start);
    public long End => Volatile.Read(ref _end);
    public Task BudgetSpent => _budgetSpent.Task;

    public double Seconds => (Math.Min(End, Stopwatch.GetTimestamp()) - Start) / (double)Stopwatch.Frequency;

    public void Open() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    public void Close()
    {
        Interlocked.CompareExchange(ref _end, Stopwatch.GetTimestamp(), long.MaxValue);
        _closed = true;
    }

    /// <summary>Whether a call completed at <paramref name="now"/> carrying <paramref name="requests"/> requests is measured.</summary>
    public bool Counts(long now, int requests)
    {
        if (now < Volatile.Read(ref _start) || now >= Volatile.Read(ref _end)) return false;
        if (Interlocked.Add(ref _remaining, -requests) <= 0 && _budgetSpent.TrySetResult()) Close();
        return true;
    }

    public static long Micros(long from, long to) => (to - from) * 1_000_000 / Stopwatch.Frequency;
}
