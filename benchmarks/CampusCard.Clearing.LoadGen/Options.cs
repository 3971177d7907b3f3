using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.LoadGen.Workload;

namespace CampusCard.Clearing.LoadGen;

/// <summary>Everything one invocation of the load generator was asked to do.</summary>
public sealed record LoadOptions
{
    public required LoadMode Mode { get; init; }
    public required string Address { get; init; }
    public required string? KeyPath { get; init; }
    public required int Terminals { get; init; }
    public required int Channels { get; init; }
    public required int Accounts { get; init; }
    public required int Merchants { get; init; }
    public required long BalanceFen { get; init; }
    public required double WarmupSeconds { get; init; }
    public required double DurationSeconds { get; init; }
    public required long? Count { get; init; }
    public required int BatchSize { get; init; }
    public required double ReversalPercent { get; init; }
    public required double RetryPercent { get; init; }
    public required double ZipfExponent { get; init; }
    public required int Seed { get; init; }
    public required double DeadlineSeconds { get; init; }
    public required string Journal { get; init; }
    public required string Redis { get; init; }
    public required string KeyPrefix { get; init; }
    public required string Results { get; init; }
    public required IReadOnlyList<int> ServicePids { get; init; }
    public required int? HaproxyPid { get; init; }

    /// <summary>The configuration under load, for the report: a Redis Cluster or one Redis, the service instances, the hot state's partitions.</summary>
    public required bool Cluster { get; init; }
    public required int Instances { get; init; }
    public required int Partitions { get; init; }

    /// <summary>Campuses the service modes spread their terminals over: the default one and Campuses - 1 the setup creates.</summary>
    public required int Campuses { get; init; }

    public required int PinCardPercent { get; init; }
    public required int Watchers { get; init; }
    public required OperationMix Mix { get; init; }

    public IEnumerable<string> Problems()
    {
        if (Terminals < 1) yield return "--terminals must be at least 1";
        if (Accounts < 1) yield return "--accounts must be at least 1";
        if (Merchants < 1) yield return "--merchants must be at least 1";
        if (BatchSize is < 1 or > 1_000) yield return "--batch-size must be 1..1000";
        if (ReversalPercent < 0 || RetryPercent < 0 || ReversalPercent + RetryPercent > 50) yield return "--reversals and --retries must be percentages adding up to at most 50";
        if (PinCardPercent is < 0 or > 100) yield return "--pin-cards must be a percentage";
        if (Watchers < 0) yield return "--watchers may not be negative";
        if (Instances < 1) yield return "--instances must be at least 1";
        if (Partitions is < 1 or > Partitioning.MaxCount) yield return $"--partitions must be 1..{Partitioning.MaxCount}";
        if (Campuses is < 1 or > MaxCampuses) yield return $"--campuses must be 1..{MaxCampuses}";
        if (Campuses > Terminals) yield return "--campuses may not exceed --terminals: every campus has a terminal";
        if (!Mix.IsEmpty && Mode != LoadMode.Unary) yield return "--mix is for --mode unary";
        if (ReversalPercent + RetryPercent + Mix.Percent > 100) yield return "--reversals, --retries and --mix add up to more than 100 %";
        if (BalanceFen < LunchPeak.MaxAmountFen) yield return $"--balance must be at least {LunchPeak.MaxAmountFen} fen";
        if (DurationSeconds <= 0 && Count is null) yield return "--duration must be positive";
        if (Count is < 1) yield return "--count must be positive";
        if (Modes.Any(m => !m.IsBaseline()) && KeyPath is null) yield return "--key is required against the service: the private key its tokens are signed with (the host's create-key)";
        if (KeyPath is not null && !File.Exists(KeyPath)) yield return $"--key: {KeyPath} does not exist";
    }

    public const int MaxCampuses = 99;

    [JsonIgnore]
    public IEnumerable<LoadMode> Modes => Mode == LoadMode.All ? [LoadMode.Baseline, LoadMode.BaselineLean, LoadMode.Unary, LoadMode.Batch] : [Mode];
}

/// <summary>The command line: one root command whose options fill <see cref="LoadOptions"/>.</summary>
public static class LoadCommand
{
    private static readonly Option<LoadMode> Mode = new("--mode")
    {
        Description = "unary, batch, offline (terminals upload offline records: UploadOffline streams of 100–500), baseline, baseline-lean, " +
            "or all (baseline, baseline-lean, unary and batch one after another)",
        DefaultValueFactory = _ => LoadMode.All,
        CustomParser = ParseMode,
        HelpName = string.Join('|', LoadModes.Names),
    };
    private static readonly Option<string> Address = new("--address") { Description = "the clearing service", DefaultValueFactory = _ => "http://127.0.0.1:50051" };
    private static readonly Option<string?> Key = new("--key") { Description = "PEM file of the ES256 private key the service's tokens are signed with (the host's create-key); needed for unary and batch" };
    private static readonly Option<int> Terminals = new("--terminals") { Description = "simulated terminals (in batch mode: concentrators)", DefaultValueFactory = _ => 64 };
    private static readonly Option<int> Channels = new("--channels") { Description = "HTTP/2 connections the terminals are spread over (one connection limits throughput before the CPU does)", DefaultValueFactory = _ => 4 };
    private static readonly Option<int> Accounts = new("--accounts") { Description = "cardholders LG000000.. opened and funded by the setup (in each campus)", DefaultValueFactory = _ => 20_000 };
    private static readonly Option<int> Merchants = new("--merchants") { Description = "canteens CANTEEN-1..n", DefaultValueFactory = _ => 8 };
    private static readonly Option<long> Balance = new("--balance") { Description = "fen each purse holds at least before a run (hot cards more: their share of the debits a run can make)", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<double> Warmup = new("--warmup") { Description = "seconds of load before measuring", DefaultValueFactory = _ => 5 };
    private static readonly Option<double> Duration = new("--duration") { Description = "seconds measured", DefaultValueFactory = _ => 30 };
    private static readonly Option<long?> Count = new("--count") { Description = "measure this many requests instead of a duration" };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "debits per DebitBatch call", DefaultValueFactory = _ => 100 };
    private static readonly Option<double> Reversals = new("--reversals") { Description = "percent of requests that reverse an earlier approved debit", DefaultValueFactory = _ => 2 };
    private static readonly Option<double> Retries = new("--retries")
    {
        Description = "percent of requests that re-send an earlier debit (offline: percent of uploads sent again whole, every record a duplicate)",
        DefaultValueFactory = _ => 2,
    };
    private static readonly Option<double> Zipf = new("--zipf") { Description = "Zipf exponent of card and canteen popularity", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<int?> Seed = new("--seed") { Description = "random seed (which cards are hot, the sequence of requests); random when absent" };
    private static readonly Option<double> Deadline = new("--deadline") { Description = "seconds before a gRPC call times out", DefaultValueFactory = _ => 10 };
    private static readonly Option<string> Journal = new("--journal") { Description = "Npgsql connection string of the journal", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ConnectionStrings__Journal") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=campuscard" };
    private static readonly Option<string> Redis = new("--redis") { Description = "StackExchange.Redis configuration of the hot store", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? "127.0.0.1:56379" };
    private static readonly Option<string> KeyPrefix = new("--key-prefix") { Description = "prefix of the service's Redis keys", DefaultValueFactory = _ => "cc:" };
    private static readonly Option<string> Results = new("--results") { Description = "folder for the .json and .md reports", DefaultValueFactory = _ => Path.Combine(RepositoryRoot(), "results", "loadgen") };
    private static readonly Option<IReadOnlyList<int>> ServicePids = new("--service-pid")
    {
        Description = "the service's process ids, comma-separated (several instances), their CPU summed (else: the process listening on the address's port)",
        DefaultValueFactory = _ => [],
        CustomParser = ParsePids,
        HelpName = "pid[,pid...]",
    };
    private static readonly Option<int?> HaproxyPid = new("--haproxy-pid") { Description = "the process id of the HAProxy in front of the instances, its CPU reported as haproxy" };
    private static readonly Option<bool> Cluster = new("--cluster") { Description = "for the report: the service runs on a Redis Cluster (--redis names its nodes; every node's CPU is summed)" };
    private static readonly Option<int> Instances = new("--instances") { Description = "for the report: how many service instances take the load", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Partitions = new("--partitions")
    {
        Description = "the service's hot-state partitions (its HotStore:Partitions), for the report and the verification's Redis reads",
        DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("HotStore__Partitions"), CultureInfo.InvariantCulture, out var partitions)
            ? partitions
            : new HotStoreOptions().Partitions,
    };
    private static readonly Option<int> Campuses = new("--campuses")
    {
        Description = "campuses of the service modes: the default one and N-1 the setup creates (loadgen-2.., Admin.CreateCampus with a vendor token), " +
            "each in a time zone of its own (Admin.ConfigureCampus: +05:00, +09:00, +07:00, ...), " +
            "each with --accounts cardholders of the same person numbers and --merchants canteens; terminal i stands in campus i mod N, and " +
            "every caller's token names its campus. Verified per campus (the baselines have one)",
        DefaultValueFactory = _ => 1,
    };
    private static readonly Option<int> PinCards = new("--pin-cards")
    {
        Description = "percent of cards (from the cold end) given a single limit at setup, whose debits above it carry the card PIN (一密两限)",
        DefaultValueFactory = _ => 5,
    };
    private static readonly Option<int> Watchers = new("--watchers")
    {
        Description = "card-status feed subscribers (Terminal.WatchCardStatus) during the service modes, with a card frozen and unfrozen every half second",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<OperationMix> Mix = new("--mix")
    {
        Description = "with --mode unary: percent of the terminals' operations that are shower sessions (Hold at a shower terminal, then SettleHold " +
            $"below it, {ShowerSession.ReleasePercent} % ReleaseHold) and e-wallet payments (Payments.Pay), e.g. holds=10,payments=5; none by default",
        DefaultValueFactory = _ => OperationMix.None,
        CustomParser = ParseMix,
        HelpName = OperationMix.Syntax,
    };

    public static RootCommand Create(Func<LoadOptions, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("CampusCard.Clearing load generator: lunch-peak debits from simulated terminals, against the service or two classic stored-procedure baselines.");
        Option[] all = [Mode, Address, Key, Terminals, Channels, Accounts, Merchants, Balance, Warmup, Duration, Count, BatchSize, Reversals, Retries, Zipf, Seed, Deadline, Journal, Redis, KeyPrefix, Results, ServicePids, HaproxyPid, Cluster, Instances, Partitions, Campuses, PinCards, Watchers, Mix];
        foreach (var option in all) root.Options.Add(option);
        root.SetAction(async (result, cancellationToken) =>
        {
            var options = new LoadOptions
            {
                Mode = result.GetValue(Mode),
                Address = result.GetValue(Address)!,
                KeyPath = result.GetValue(Key),
                Terminals = result.GetValue(Terminals),
                Channels = Math.Max(1, result.GetValue(Channels)),
                Accounts = result.GetValue(Accounts),
                Merchants = result.GetValue(Merchants),
                BalanceFen = result.GetValue(Balance),
                WarmupSeconds = result.GetValue(Warmup),
                DurationSeconds = result.GetValue(Duration),
                Count = result.GetValue(Count),
                BatchSize = result.GetValue(BatchSize),
                ReversalPercent = result.GetValue(Reversals),
                RetryPercent = result.GetValue(Retries),
                ZipfExponent = result.GetValue(Zipf),
                Seed = result.GetValue(Seed) ?? Random.Shared.Next(1, 1_000_000),
                DeadlineSeconds = result.GetValue(Deadline),
                Journal = result.GetValue(Journal)!,
                Redis = result.GetValue(Redis)!,
                KeyPrefix = result.GetValue(KeyPrefix)!,
                Results = result.GetValue(Results)!,
                ServicePids = result.GetValue(ServicePids)!,
                HaproxyPid = result.GetValue(HaproxyPid),
                Cluster = result.GetValue(Cluster),
                Instances = result.GetValue(Instances),
                Partitions = result.GetValue(Partitions),
                Campuses = result.GetValue(Campuses),
                PinCardPercent = result.GetValue(PinCards),
                Watchers = result.GetValue(Watchers),
                Mix = result.GetValue(Mix)!,
            };
            var problems = options.Problems().ToList();
            foreach (var problem in problems) await Console.Error.WriteLineAsync(problem);
            return problems.Count > 0 ? 2 : await run(options, cancellationToken);
        });
        return root;
    }

    private static LoadMode ParseMode(System.CommandLine.Parsing.ArgumentResult result)
    {
        var name = result.Tokens.Single().Value;
        if (LoadModes.Parse(name) is { } mode) return mode;
        result.AddError($"--mode must be one of {string.Join(", ", LoadModes.Names)}, not '{name}'");
        return default;
    }

    private static IReadOnlyList<int> ParsePids(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var pids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (pids.Length > 0 && pids.All(p => int.TryParse(p, CultureInfo.InvariantCulture, out var pid) && pid > 0))
            return [.. pids.Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        result.AddError($"--service-pid must be process ids separated by commas, not '{text}'");
        return [];
    }

    private static OperationMix ParseMix(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (OperationMix.Parse(result.Tokens.Single().Value, out var problem) is { } mix) return mix;
        result.AddError(problem!);
        return OperationMix.None;
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CampusCard.Clearing.sln"))) return dir.FullName;
            }
        }
        return Environment.CurrentDirectory;
    }
}
