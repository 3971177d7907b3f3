using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Service;
using CampusCard.Clearing.LoadGen.Workload;

namespace CampusCard.Clearing.LoadGen.Reporting;

/// <summary>Writes results/&lt;timestamp&gt;-&lt;mode&gt;.json and .md, and returns the Markdown for the console.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(LoadModes.Naming) },
    };

    public static (string Markdown, string JsonPath) Write(RunEnvironment environment, IReadOnlyList<RunResult> runs)
    {
        var options = environment.Options;
        var name = $"{environment.StartedAt:yyyyMMdd-HHmmss}-{options.Mode.Name()}";
        System.IO.Directory.CreateDirectory(options.Results);
        var comparisons = Comparison.Of(runs);
        var markdown = Markdown(environment, runs, comparisons);
        var jsonPath = Path.Combine(options.Results, name + ".json");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { environment, runs, comparisons }, Json));
        File.WriteAllText(Path.Combine(options.Results, name + ".md"), markdown);
        return (markdown, jsonPath);
    }

    private static string Markdown(RunEnvironment environment, IReadOnlyList<RunResult> runs, IReadOnlyList<Comparison> comparisons)
    {
        var o = environment.Options;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load generator, {environment.StartedAt:yyyy-MM-dd HH:mm:ss zzz}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{o.Terminals} terminals; {o.Accounts} cards (Zipf s={o.ZipfExponent}, hottest card {environment.HottestCardShare:P1} of swipes, seed {o.Seed}); " +
            $"{o.Merchants} canteens (hottest {environment.HottestCanteenShare:P1}), terminals per canteen {Counts(environment.TerminalsPerCanteen)}; 300–2,500 fen; reversals {o.ReversalPercent} %, retries {o.RetryPercent} %; " +
            $"warm-up {o.WarmupSeconds} s, then {(o.Count is { } count ? $"{count} requests" : $"{o.DurationSeconds} s")}; batch size {o.BatchSize}; " +
            $"{environment.ProcessorCount} cores shared by all processes; PostgreSQL synchronous_commit={environment.SynchronousCommit}, fsync={environment.Fsync}.");
        md.AppendLine();
        md.AppendLine($"Configuration: {Configuration(environment)}.");
        if (!o.Mix.IsEmpty)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Mix of the unary operations: shower sessions {o.Mix.HoldPercent} % (hold {ShowerSession.HoldFen} fen, settle {ShowerSession.MinCostFen}–{ShowerSession.HoldFen - 1} fen, " +
                $"{ShowerSession.ReleasePercent} % released), e-wallet payments {o.Mix.PaymentPercent} % ({WalletPayment.MinAmountFen}–{WalletPayment.MaxAmountFen} fen).");
        }
        md.AppendLine();
        md.Append("| mode | terminals | duration s | approved/s | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | declines | errors ");
        foreach (var process in CpuSampler.Kinds) md.Append(CultureInfo.InvariantCulture, $"| CPU µs/debit {process} ");
        md.AppendLine("| CPU µs/debit total | verification |");
        const int fixedColumns = 13;
        md.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", fixedColumns + CpuSampler.Kinds.Length)));
        foreach (var run in runs)
        {
            var l = run.DebitCallLatency;
            md.Append(CultureInfo.InvariantCulture,
                $"| {Label(run)} | {run.Terminals} | {run.Seconds:0.0} | {run.ApprovedPerSecond:0} | {run.RequestsPerSecond:0} | " +
                $"{l.P50Ms:0.00} | {l.P90Ms:0.00} | {l.P99Ms:0.00} | {l.P999Ms:0.00} | {run.Declined} | {run.Errors} ");
            foreach (var process in CpuSampler.Kinds)
            {
                var cpu = run.Cpu.FirstOrDefault(c => c.Process == process);
                md.Append(CultureInfo.InvariantCulture, $"| {(cpu is null ? "n/a" : cpu.MicrosPerDebit.ToString("0", CultureInfo.InvariantCulture))} ");
            }
            md.AppendLine(CultureInfo.InvariantCulture, $"| {run.CpuMicrosPerDebit:0} | {(run.Verification is { Passed: true } ? "pass" : "FAIL")} |");
        }
        md.AppendLine();
        md.AppendLine("Latency is per debit call: `Terminal.Debit` (retries included), one `Terminal.DebitBatch` of the batch size, one `Terminal.UploadOffline` stream " +
            $"of {OfflineTerminal.MinRecords}–{OfflineTerminal.MaxRecords} offline records (offline: approved/s are records recorded, retries are records sent again), or one `debit()` call of the baseline's schema. " +
            "CPU is each process's user+system time over the measured phase divided by the debits decided in it (postgres: all its processes; with a mix, its operations' CPU too).");
        if (comparisons.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| engine | against | approved/s: engine ÷ baseline | CPU µs/debit total: engine ÷ baseline |");
            md.AppendLine("|---|---|---|---|");
            foreach (var c in comparisons)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {LabelOf(runs, c.Mode)} | {c.Against.Name()} | {c.ThroughputRatio:0.00}× | {c.CpuPerDebitRatio:0.000}× |");
            }
        }
        foreach (var run in runs)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {Label(run)}");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"- {run.Calls} calls, {run.Requests} requests: {run.Debits} debits ({run.Approved} approved), {run.Reversals} reversals ({run.Refunds} refunded), {run.Retries} retries");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"- reversal calls: p50 {run.ReverseCallLatency.P50Ms:0.00} ms, p99 {run.ReverseCallLatency.P99Ms:0.00} ms; debit calls max {run.DebitCallLatency.MaxMs:0.00} ms");
            md.AppendLine($"- declines: {Counts(run.DeclinesByReason)}");
            md.AppendLine($"- errors: {Counts(run.ErrorsByCode)}");
            foreach (var (name, operation) in run.Operations)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- {name} calls: {operation.Approved} approved, {operation.Declined} declined; p50 {operation.Latency.P50Ms:0.00} ms, p99 {operation.Latency.P99Ms:0.00} ms, max {operation.Latency.MaxMs:0.00} ms");
            }
            if (run.PinDebits > 0) md.AppendLine(CultureInfo.InvariantCulture, $"- debits with the card PIN (over a PIN card's single limit): {run.PinDebits}");
            if (run.Watchers > 0)
                md.AppendLine(CultureInfo.InvariantCulture, $"- card-status feed: {run.Watchers} subscribers received {run.FeedChanges} changes in all; {run.FeedErrors} failed");
            if (run.RedisMemory is { } memory) RedisMemoryLines(md, memory);
            md.AppendLine("- CPU seconds: " + string.Join(", ", run.Cpu.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Process} {c.CpuSeconds:0.00} (pid {string.Join('+', c.Pids)})"))));
            foreach (var check in run.Verification?.Checks ?? []) md.AppendLine($"- verification {check}");
        }
        return md.ToString();
    }

    private static void RedisMemoryLines(StringBuilder md, RedisMemoryReport m)
    {
        static string Mb(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);
        md.AppendLine(CultureInfo.InvariantCulture,
            $"- Redis used_memory: {Mb(m.BeforeSetup.UsedBytes)} MB before the setup, {Mb(m.AfterSetup.UsedBytes)} MB after it ({m.Holders} holders opened, " +
            $"{m.AfterSetup.Rows - m.BeforeSetup.Rows} records), {Mb(m.BeforeRun.UsedBytes)} → {Mb(m.AfterRun.UsedBytes)} MB over this run " +
            $"({m.AfterRun.Rows - m.BeforeRun.Rows} records): **{m.BytesPerRecord:0} bytes per record, {m.BytesPerHolder:0} bytes per holder** without its records");
        md.AppendLine("- MEMORY USAGE, mean of a sample: " + string.Join("; ", m.Samples.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Kind} {s.MeanBytes:0} bytes ({s.Keys} keys{(s.MeanEntries != 1 ? $", {s.MeanEntries:0.##} entries each" : "")})"))));
    }

    /// <summary>The setup under load: one Redis or a cluster (its masters and replicas), the service instances (behind HAProxy or not), the partitions, the campuses.</summary>
    private static string Configuration(RunEnvironment environment)
    {
        var o = environment.Options;
        var redis = o.Cluster
            ? $"Redis Cluster of {environment.RedisMasters} masters and {environment.RedisReplicas} replicas"
            : "one Redis";
        var instances = o.Instances == 1 ? "1 service instance" : $"{o.Instances} service instances";
        var balancer = o.HaproxyPid is null ? "" : " behind HAProxy";
        var zones = string.Join(", ", Enumerable.Range(1, o.Campuses - 1).Select(k => $"{LoadCampus.CodeOf(k)} UTC{LoadCampus.UtcOffsetOf(k)}"));
        var campuses = o.Campuses == 1 ? "" : $"; {o.Campuses} campuses, the service modes' terminals spread over them (default at the deployment's UTC offset, {zones})";
        return $"{redis}; {instances}{balancer}; {o.Partitions} hot-state partition{(o.Partitions == 1 ? "" : "s")}{campuses}";
    }

    private static string Label(RunResult run) => run.Mode.Name() + (run.BatchSize is { } size ? $" ×{size}" : "");

    private static string LabelOf(IReadOnlyList<RunResult> runs, LoadMode mode) => Label(runs.First(r => r.Mode == mode));

    private static string Counts<T>(IReadOnlyDictionary<string, T> counts) where T : System.Numerics.INumber<T>
        => counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"));
}
