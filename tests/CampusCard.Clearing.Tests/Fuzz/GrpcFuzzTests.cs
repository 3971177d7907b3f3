using System.Net;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using MerchantCategory = CampusCard.Clearing.Contracts.V1.MerchantCategory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>
/// Bad input at scale (issue 24, section 3): mutated bodies for every RPC with valid credentials, then mutated HTTP/2 frames,
/// against the whole service on loopback. No answer may be INTERNAL or UNKNOWN, the service keeps serving, no error is
/// logged, and afterwards the journal and the hot state hold only what valid requests did (the invariants).
/// The test suite runs a short deterministic run; scripts/fuzz.sh runs a long one through the same test
/// (CC_FUZZ_BODIES, CC_FUZZ_SEED, CC_FUZZ_REPORT).
/// </summary>
public class GrpcFuzzTests(ITestOutputHelper output) : FuzzWorldTestBase
{
    private readonly CapturingLoggerProvider _logs = new();

    /// <summary>Bodies to send (a client stream's messages count one each).</summary>
    private static readonly int Bodies = Setting("CC_FUZZ_BODIES", 4_000);
    private static readonly int Connections = Setting("CC_FUZZ_CONNECTIONS", 400);
    private static readonly int Seed = Setting("CC_FUZZ_SEED", 24);
    /// <summary>The short run stops here even when the machine is slow; a long run is bounded by its bodies alone.</summary>
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(Setting("CC_FUZZ_SECONDS", 60));
    /// <summary>Calls per epoch: between epochs the world gets new funded accounts.</summary>
    private const int Epoch = 500;

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<ILoggerProvider>(_logs);
        services.AddLogging(logging => logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Error));
    }

    [Fact]
    public async Task Mutated_bodies_for_every_rpc_get_no_internal_or_unknown_and_change_only_what_valid_requests_did()
    {
        var world = await BuildWorldAsync(accounts: 24);
        var rpcs = RpcCatalog.Targets((IEndpointRouteBuilder)Service.App);
        var plan = new FuzzPlan(Seed, rpcs, world);
        var report = new FuzzReport { Seed = Seed };
        await using (var health = new HealthWatch(Address))
        {
            report.Health = health;
            var fuzzer = new BodyFuzzer(Channel, report);
            for (long start = 0; report.Bodies < Bodies && report.Elapsed < TimeLimit; start += Epoch)
            {
                var cases = new List<FuzzCase>();
                for (var i = start; i < start + Epoch; i++) cases.Add(plan.Next(i));
                await fuzzer.SendAllAsync(cases, default);
                await GrowAsync(world, start / Epoch);
                Progress($"{report.Calls:N0} calls, {report.Bodies:N0} bodies, {report.Elapsed.TotalSeconds:N0} s, {report.Findings.Count} findings");
                if (start / Epoch % 20 == 19) Save("bodies.md", report.ToMarkdown());
            }
            Assert.True(await health.CheckAsync(), "the service stopped serving after the run");
        }
        Publish("bodies.md", report.ToMarkdown());

        Assert.Empty(report.Findings);
        Assert.Equal(0, report.Health.Failures);
        Assert.Equal(rpcs.Select(r => r.Name).Order(), report.RpcsCalled.Order());
        Assert.True(report.ValidOk > 0, "no valid seed was approved: the seeds do not reach the decisions");
        await AssertUnchangedButByValidRequestsAsync();
    }

    [Fact]
    public async Task Mutated_http2_frames_leave_the_service_serving_and_get_no_internal_or_unknown_from_its_code()
    {
        var world = await BuildWorldAsync(accounts: 8);
        var plan = new FuzzPlan(Seed, RpcCatalog.Targets((IEndpointRouteBuilder)Service.App), world);
        var report = new FrameReport();
        var authority = new Uri(Address).Authority;
        await using (var health = new HealthWatch(Address))
        {
            var fuzzer = new FrameFuzzer(IPEndPoint.Parse(authority), report);
            var started = System.Diagnostics.Stopwatch.StartNew();
            for (long start = 0; start < Connections && started.Elapsed < TimeLimit; start += Epoch)
            {
                var connections = new List<(FuzzCase, FrameScript)>();
                for (var i = start; i < Math.Min(start + Epoch, Connections); i++)
                {
                    var call = plan.Next(i);
                    connections.Add((call, FrameScript.For(call, authority, new Random(unchecked(Seed * 31 + (int)i)))));
                }
                await fuzzer.SendAllAsync(connections);
                Progress($"{report.Connections:N0} connections, {report.Frames:N0} frames, {started.Elapsed.TotalSeconds:N0} s, {report.Findings.Count} findings");
            }
            Assert.True(await health.CheckAsync(), "the service stopped serving after the run");
            Publish("frames.md", report.ToMarkdown() + Environment.NewLine + health.Summary + Environment.NewLine);
            Assert.Equal(0, health.Failures);
        }

        Assert.Empty(report.Findings);
        Assert.True(report.Connections >= Math.Min(Connections, 100), $"only {report.Connections} connections in {TimeLimit}");
        await AssertUnchangedButByValidRequestsAsync(FrameReport.IsFrameworkError);
    }

    /// <summary>The invariants, the service's own reconciliation, and no error in the log.</summary>
    private async Task AssertUnchangedButByValidRequestsAsync(Func<string, Exception?, bool>? expected = null)
    {
        await AssertInvariantsAsync();
        var hot = await CallAsync(new Finance.FinanceClient(As(CallerRole.Finance)).CheckHotStateAsync, new CheckHotStateRequest());
        Assert.Empty(hot.Differences);
        var errors = _logs.Entries.Where(e => e.Level >= LogLevel.Error && expected?.Invoke(e.Category, e.Exception) != true).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} errors logged, the first: " + string.Join(Environment.NewLine, errors.Take(5).Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
    }

    /// <summary>To the test's output, and into the folder CC_FUZZ_REPORT names when it is set (scripts/fuzz.sh).</summary>
    private void Publish(string name, string markdown)
    {
        output.WriteLine(markdown);
        Save(name, markdown);
    }

    /// <summary>Into the CC_FUZZ_REPORT folder only: a long run's report so far, every 20 epochs.</summary>
    private static void Save(string name, string markdown)
    {
        if (Environment.GetEnvironmentVariable("CC_FUZZ_REPORT") is { Length: > 0 } folder) File.WriteAllText(Path.Combine(folder, name), markdown);
    }

    private static void Progress(string line)
    {
        if (Environment.GetEnvironmentVariable("CC_FUZZ_REPORT") is { Length: > 0 } folder) File.AppendAllText(Path.Combine(folder, "progress.log"), $"{DateTime.Now:HH:mm:ss} {line}{Environment.NewLine}");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
}
