using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>An answer the service must never give (INTERNAL, UNKNOWN), with what reproduces it.</summary>
public sealed record FuzzFinding(string Rpc, string Caller, string Status, string Message, IReadOnlyList<string> Mutations, IReadOnlyList<string> HexBodies);

/// <summary>What a run sent and what came back: counts per RPC and status, mutations tried, findings, health, time.</summary>
public sealed class FuzzReport
{
    /// <summary>Reproducers kept per distinct (RPC, status, message): enough to see the pattern, bounded in memory.</summary>
    private const int ReproducersPerFinding = 3;

    private readonly ConcurrentDictionary<(string Rpc, string Status), long> _statuses = new();
    private readonly ConcurrentDictionary<string, long> _bodies = new();
    private readonly ConcurrentDictionary<string, long> _mutations = new();
    private readonly ConcurrentDictionary<(string Rpc, string Status, string Message), ConcurrentQueue<FuzzFinding>> _findings = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _calls;
    private long _validCalls;
    private long _validOk;

    public int Seed { get; init; }
    public long Calls => Interlocked.Read(ref _calls);
    public long Bodies => _bodies.Values.Sum();
    public TimeSpan Elapsed => _clock.Elapsed;
    public IReadOnlyCollection<string> RpcsCalled => _bodies.Keys.ToList();
    public IReadOnlyList<FuzzFinding> Findings => _findings.Values.SelectMany(q => q).ToList();
    public long ValidCalls => Interlocked.Read(ref _validCalls);
    public long ValidOk => Interlocked.Read(ref _validOk);
    public HealthWatch? Health { get; set; }
    public FrameReport? Frames { get; set; }

    public void Record(FuzzCase call, string status, string? message)
    {
        Interlocked.Increment(ref _calls);
        _bodies.AddOrUpdate(call.Rpc.Name, call.Messages.Length, (_, n) => n + call.Messages.Length);
        _statuses.AddOrUpdate((call.Rpc.Name, status), 1, (_, n) => n + 1);
        foreach (var m in call.Mutations) _mutations.AddOrUpdate(m, 1, (_, n) => n + 1);
        if (call.Valid)
        {
            Interlocked.Increment(ref _validCalls);
            if (status == "OK") Interlocked.Increment(ref _validOk);
        }
    }

    public void Find(FuzzCase call, string status, string message)
    {
        var queue = _findings.GetOrAdd((call.Rpc.Name, status, message), _ => new ConcurrentQueue<FuzzFinding>());
        if (queue.Count < ReproducersPerFinding)
            queue.Enqueue(new FuzzFinding(call.Rpc.Name, call.Caller.ToString(), status, message, call.Mutations, call.Messages.Select(Convert.ToHexString).ToList()));
    }

    public long CountOf(string status) => _statuses.Where(s => s.Key.Status == status).Sum(s => s.Value);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var statuses = _statuses.Keys.Select(k => k.Status).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        text.AppendLine($"seed {Seed}: {Calls:N0} calls, {Bodies:N0} bodies in {Elapsed.TotalSeconds:N0} s; {ValidCalls:N0} calls sent a valid seed unmutated ({ValidOk:N0} of them OK)");
        text.AppendLine();
        text.AppendLine($"| RPC | bodies | {string.Join(" | ", statuses)} |");
        text.AppendLine($"|---|---:|{string.Concat(statuses.Select(_ => "---:|"))}");
        foreach (var rpc in _bodies.Keys.Order(StringComparer.Ordinal))
            text.AppendLine($"| {rpc} | {_bodies[rpc]:N0} | {string.Join(" | ", statuses.Select(s => _statuses.TryGetValue((rpc, s), out var n) ? n.ToString("N0") : ""))} |");
        text.AppendLine($"| all | {Bodies:N0} | {string.Join(" | ", statuses.Select(s => CountOf(s).ToString("N0")))} |");
        text.AppendLine();
        text.AppendLine("mutations applied: " + string.Join(", ", _mutations.OrderByDescending(m => m.Value).Select(m => $"{m.Key} {m.Value:N0}")));
        if (Health is { } health) text.AppendLine().AppendLine(health.Summary);
        if (Frames is { } frames) text.AppendLine().Append(frames.ToMarkdown());
        text.AppendLine();
        text.AppendLine(_findings.IsEmpty ? "findings: none (no INTERNAL or UNKNOWN)" : $"findings: {_findings.Count} distinct INTERNAL/UNKNOWN answers");
        foreach (var f in Findings)
            text.AppendLine($"- {f.Rpc} as {f.Caller}: {f.Status} \"{f.Message}\" after [{string.Join(", ", f.Mutations)}], bodies {string.Join(" / ", f.HexBodies.Select(h => h.Length > 512 ? h[..512] + $"…({h.Length / 2} bytes)" : h))}");
        return text.ToString();
    }
}
