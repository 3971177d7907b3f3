using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.LoadGen.Measurement;

namespace CampusCard.Clearing.LoadGen.Reporting;

public sealed record LatencySummary(long Calls, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs)
{
    public static LatencySummary Of(LatencyHistogram histogram)
    {
        static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
        return new(histogram.Count, Ms(histogram.Percentile(0.50)), Ms(histogram.Percentile(0.90)), Ms(histogram.Percentile(0.99)),
            Ms(histogram.Percentile(0.999)), Ms(histogram.MaxMicros), histogram.Count == 0 ? 0 : Ms(histogram.SumMicros / histogram.Count));
    }
}

/// <summary>A kind of call beside the debits, as reported: calls answered in the measured phase, approved and declined, and their latency.</summary>
public sealed record OperationSummary(long Approved, long Declined, LatencySummary Latency)
{
    public static OperationSummary Of(OperationStats stats) => new(stats.Approved, stats.Declined, LatencySummary.Of(stats.Latency));
}

/// <summary>One kind of process (<see cref="CpuSampler.Kinds"/>): its processes' CPU time summed.</summary>
/// <param name="Pids">The root processes counted with their children: every service instance, every node of a Redis Cluster.</param>
/// <param name="MicrosPerDebit">CPU time over the measured phase divided by the debits decided in it.</param>
public sealed record ProcessCpu(string Process, IReadOnlyList<int> Pids, double CpuSeconds, double MicrosPerDebit, double SecondsPer1000Requests);

/// <summary>One mode's measured phase, as reported.</summary>
public sealed record RunResult
{
    public required LoadMode Mode { get; init; }
    public required int Terminals { get; init; }
    public int? BatchSize { get; init; }
    public required double Seconds { get; init; }
    public required long Calls { get; init; }
    public required long Requests { get; init; }
    public required long Debits { get; init; }
    public required long Approved { get; init; }
    public required long Declined { get; init; }
    public required long Reversals { get; init; }
    public required long Refunds { get; init; }
    public required long Retries { get; init; }
    public required long Errors { get; init; }
    public required double ApprovedPerSecond { get; init; }
    public required double RequestsPerSecond { get; init; }
    /// <summary>Debit calls: Debit (retries included), DebitBatch, or baseline.debit().</summary>
    public required LatencySummary DebitCallLatency { get; init; }
    public required LatencySummary ReverseCallLatency { get; init; }
    public required Dictionary<string, long> DeclinesByReason { get; init; }
    public required Dictionary<string, long> ErrorsByCode { get; init; }
    /// <summary>The --mix's calls by name (hold, settle, release, pay); empty without one.</summary>
    public required SortedDictionary<string, OperationSummary> Operations { get; init; }
    public required IReadOnlyList<ProcessCpu> Cpu { get; init; }
    public required double CpuMicrosPerDebit { get; init; }
    public Verification? Verification { get; init; }

    /// <summary>What the hot state took in Redis: per holder over the setup, per record over this run (service modes).</summary>
    public RedisMemoryReport? RedisMemory { get; init; }

    /// <summary>Debits sent with the card PIN (over a PIN card's single limit).</summary>
    public long PinDebits { get; init; }

    /// <summary>Card-status feed subscribers during the run, the changes they received in all, and their failures.</summary>
    public int Watchers { get; init; }
    public long FeedChanges { get; init; }
    public long FeedErrors { get; init; }

    public static RunResult From(LoadMode mode, LoadOptions options, TerminalStats total, double seconds,
        Dictionary<string, double> cpuSeconds, IReadOnlyDictionary<string, IReadOnlyList<int>> pids)
    {
        var declines = new Dictionary<string, long>();
        for (var reason = 0; reason < total.DeclinesByReason.Length; reason++)
        {
            if (total.DeclinesByReason[reason] > 0) declines[((DeclineReason)reason).ToString()] = total.DeclinesByReason[reason];
        }
        double PerDebit(double cpu) => total.Debits == 0 ? 0 : Math.Round(cpu * 1e6 / total.Debits, 1);
        var cpu = CpuSampler.Kinds
            .Where(cpuSeconds.ContainsKey)
            .Select(p => new ProcessCpu(p, pids.GetValueOrDefault(p, []), cpuSeconds[p], PerDebit(cpuSeconds[p]),
                total.Requests == 0 ? 0 : Math.Round(cpuSeconds[p] * 1000 / total.Requests, 4)))
            .ToList();
        return new RunResult
        {
            Mode = mode,
            Terminals = options.Terminals,
            BatchSize = mode == LoadMode.Batch ? options.BatchSize : null,
            Seconds = Math.Round(seconds, 3),
            Calls = total.Calls,
            Requests = total.Requests,
            Debits = total.Debits,
            Approved = total.Approved,
            Declined = total.DeclinesByReason.Sum(),
            Reversals = total.Reversals,
            Refunds = total.Refunds,
            Retries = total.Retries,
            Errors = total.Errors,
            PinDebits = total.PinDebits,
            ApprovedPerSecond = Math.Round(total.Approved / seconds, 1),
            RequestsPerSecond = Math.Round(total.Requests / seconds, 1),
            DebitCallLatency = LatencySummary.Of(total.DebitCalls),
            ReverseCallLatency = LatencySummary.Of(total.ReverseCalls),
            DeclinesByReason = declines,
            ErrorsByCode = total.ErrorsByCode,
            Operations = new(total.Operations.ToDictionary(o => o.Key, o => OperationSummary.Of(o.Value)), StringComparer.Ordinal),
            Cpu = cpu,
            CpuMicrosPerDebit = PerDebit(cpuSeconds.Values.Sum()),
        };
    }
}
