namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>
/// What one terminal saw in the measured window. Only its own task writes it, so nothing is locked;
/// the progress line reads the counters racily, which is fine for a display.
/// </summary>
public sealed class TerminalStats
{
    public const string RetryMismatch = "RETRY_MISMATCH";

    public LatencyHistogram DebitCalls { get; } = new();
    public LatencyHistogram ReverseCalls { get; } = new();
    public long[] DeclinesByReason { get; } = new long[32];
    public Dictionary<string, long> ErrorsByCode { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, OperationStats> Operations { get; } = new(StringComparer.Ordinal);

    public long Calls;
    public long Requests;
    public long Debits;
    public long Approved;
    public long Reversals;
    public long Refunds;
    public long Retries;
    public long Errors;
    public long PinDebits;

    public void Decline(int reason) => DeclinesByReason[Math.Clamp(reason, 0, DeclinesByReason.Length - 1)]++;

    public void Error(string code)
    {
        Errors++;
        ErrorsByCode[code] = ErrorsByCode.GetValueOrDefault(code) + 1;
    }

    /// <summary>The stats of a kind of call beside the debits, by its name in the report ("hold", "pay").</summary>
    public OperationStats Operation(string name)
    {
        if (!Operations.TryGetValue(name, out var operation)) Operations[name] = operation = new OperationStats();
        return operation;
    }

    public void Add(TerminalStats other)
    {
        DebitCalls.Add(other.DebitCalls);
        ReverseCalls.Add(other.ReverseCalls);
        for (var i = 0; i < DeclinesByReason.Length; i++) DeclinesByReason[i] += other.DeclinesByReason[i];
        foreach (var (code, count) in other.ErrorsByCode) ErrorsByCode[code] = ErrorsByCode.GetValueOrDefault(code) + count;
        foreach (var (name, operation) in other.Operations) Operation(name).Add(operation);
        Calls += other.Calls;
        Requests += other.Requests;
        Debits += other.Debits;
        Approved += other.Approved;
        Reversals += other.Reversals;
        Refunds += other.Refunds;
        Retries += other.Retries;
        Errors += other.Errors;
        PinDebits += other.PinDebits;
    }
}
