namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>The line printed every second of the measured phase: elapsed, throughput of the last second, p99 so far, errors.</summary>
public sealed class ProgressLine(LoadMode mode, TerminalStats[] terminals, MeasurementWindow window)
{
    private readonly LatencyHistogram _merged = new();
    private readonly bool _rewrite = !Console.IsOutputRedirected;
    private long _lastApproved;
    private long _lastRequests;
    private double _lastSeconds;

    public void WarmingUp(double seconds) => Console.WriteLine($"[{Name}] warm-up {seconds:0.#} s");

    public void Print()
    {
        long approved = 0, requests = 0, errors = 0;
        _merged.Clear();
        foreach (var stats in terminals)
        {
            approved += stats.Approved;
            requests += stats.Requests;
            errors += stats.Errors;
            _merged.Add(stats.DebitCalls);
        }
        var seconds = window.Seconds;
        var interval = Math.Max(seconds - _lastSeconds, 1e-3);
        var line = $"[{Name}] {seconds,5:0.0} s  {(approved - _lastApproved) / interval,8:0} approved/s  {(requests - _lastRequests) / interval,8:0} requests/s  " +
            $"p99 {_merged.Percentile(0.99) / 1000.0,7:0.00} ms  errors {errors}";
        (_lastApproved, _lastRequests, _lastSeconds) = (approved, requests, seconds);
        if (_rewrite) Console.Write("\r" + line);
        else Console.WriteLine(line);
    }

    public void Done()
    {
        if (_rewrite) Console.WriteLine();
    }

    private string Name => mode.Name();
}
