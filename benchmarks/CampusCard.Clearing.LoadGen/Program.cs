using Grpc.Core;
using Grpc.Net.Client;
using CampusCard.Clearing.LoadGen;
using CampusCard.Clearing.LoadGen.Baseline;
using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Reporting;
using CampusCard.Clearing.LoadGen.Service;
using CampusCard.Clearing.LoadGen.Workload;
using Npgsql;
using StackExchange.Redis;

// As the service does (see its Program.cs): socket completions inline, unless chosen otherwise.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null) Environment.SetEnvironmentVariable(InlineCompletions, "1");

return await LoadCommand.Create(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
{
    var startedAt = DateTimeOffset.Now;
    var workload = new LunchPeak(options);
    var targets = workload.PurseTargets();
    // Every node --redis names: one Redis, or a cluster's masters and replicas.
    var redisPorts = ConfigurationOptions.Parse(options.Redis).EndPoints.Select(e => e switch
    {
        System.Net.DnsEndPoint dns => dns.Port,
        System.Net.IPEndPoint ip => ip.Port,
        _ => 0,
    });
    var cpu = new CpuSampler(options.ServicePids, new Uri(options.Address).Port, redisPorts, new NpgsqlConnectionStringBuilder(options.Journal).Port, options.HaproxyPid);
    Console.WriteLine("processes measured: " + string.Join(", ", cpu.Roots.Select(r => $"{r.Key} {string.Join('+', r.Value)}")));

    var runner = new LoadRunner(options, cpu);
    var runs = new List<RunResult>();
    GrpcChannel[]? channels = null;
    Credentials? credentials = null;
    Population[]? populations = null;
    RedisMemory? memory = null;
    MemoryPoint? beforeSetup = null, afterSetup = null;
    try
    {
        foreach (var mode in options.Modes)
        {
            ILoadDriver driver;
            if (mode.IsBaseline())
            {
                driver = await BaselineDriver.PrepareAsync(BaselineDesign.Of(mode), options, workload, targets, cancellationToken);
            }
            else
            {
                channels ??= TerminalChannels.Open(options.Address, options.Channels);
                credentials ??= Credentials.Load(options.KeyPath!);
                if (populations is null)
                {
                    await ServiceSetup.WaitUntilServingAsync(channels[0], cancellationToken);
                    memory = await RedisMemory.ConnectAsync(options);
                    beforeSetup = await memory.PointAsync(cancellationToken);
                    populations = await ServiceSetup.RunAsync(channels[0], credentials, options, workload, targets, cancellationToken);
                    afterSetup = await memory.PointAsync(cancellationToken);
                }
                driver = mode == LoadMode.Offline
                    ? new OfflineDriver(channels, credentials, populations, workload, options)
                    : new ServiceDriver(mode, channels, credentials, populations, workload, options);
            }
            await using var feed = mode.IsBaseline() ? null : StatusFeedLoad.Start(channels!, credentials!, populations!, workload, options);
            var beforeRun = mode.IsBaseline() ? null : await memory!.PointAsync(cancellationToken);
            var result = await runner.RunAsync(driver, cancellationToken);
            if (beforeRun is not null)
                result = result with
                {
                    RedisMemory = new RedisMemoryReport(populations!.Sum(p => p.Opened), beforeSetup!, afterSetup!, beforeRun, await memory!.PointAsync(cancellationToken), await memory.SampleKeysAsync()),
                };
            if (feed is not null) result = result with { Watchers = options.Watchers, FeedChanges = feed.Changes, FeedErrors = feed.Errors };
            var verification = await driver.VerifyAsync(cancellationToken);
            if (driver is IAsyncDisposable disposable) await disposable.DisposeAsync();
            runs.Add(result with { Verification = verification });
            Console.WriteLine($"[{mode.Name()}] verification {(verification.Passed ? "passed" : "FAILED")}");
        }
    }
    finally
    {
        foreach (var channel in channels ?? []) channel.Dispose();
        if (memory is not null) await memory.DisposeAsync();
    }

    var environment = await RunEnvironment.ReadAsync(startedAt, options, workload, cancellationToken);
    var (markdown, jsonPath) = ReportWriter.Write(environment, runs);
    Console.WriteLine();
    Console.WriteLine(markdown);
    Console.WriteLine($"written: {jsonPath} and .md");
    return runs.All(r => r.Verification is { Passed: true }) ? 0 : 1;
}
