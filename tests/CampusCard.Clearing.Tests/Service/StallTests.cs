using System.Diagnostics;
using System.Globalization;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// Issue 24: a stall of PostgreSQL or of Redis (SIGSTOP … SIGCONT, as a slow disk, a long lock or a failover stalls it)
/// costs the service no more than its own length. The host runs in its own process as the product runs it (inline socket
/// completions on), on servers of its own, under callers with 1 s deadlines; the first stall comes right after a start,
/// every cache cold. Alone: the timings are the service's, not those of tests running beside it.
/// </summary>
[Collection(Alone)]
public class StallTests(PrivateServers servers, ITestOutputHelper output)
{
    public const string Alone = "Stalls, alone";

    private static readonly TimeSpan Resumed = TimeSpan.FromSeconds(2);

    [Fact]
    public Task Calls_and_health_answer_within_2_s_of_the_end_of_a_journal_database_stall_and_nothing_answered_is_lost_or_doubled() =>
        StallAsync(StalledServer.Postgres, Deck(3, 8));

    [Fact]
    public Task Calls_and_health_answer_within_2_s_of_the_end_of_a_redis_stall_and_nothing_answered_is_lost_or_doubled() =>
        StallAsync(StalledServer.Redis, Deck(2, 7));

    /// <summary>The stalls' lengths in seconds: the test's own, or CC_STALL_SECONDS ("2 5 9"), the longer deck of scripts/fault-stall.sh.</summary>
    private static TimeSpan[] Deck(params double[] seconds) =>
        [.. (Environment.GetEnvironmentVariable("CC_STALL_SECONDS") is { Length: > 0 } deck
            ? deck.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))
            : seconds).Select(TimeSpan.FromSeconds)];

    /// <summary>
    /// Accounts, merchants and terminals through a first start; then a second start, callers calling, and the stalls, the
    /// first 0.3 s after the start, the others 2 s after answers resumed.
    /// </summary>
    private async Task StallAsync(StalledServer server, TimeSpan[] stalls)
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false, servers.PgServerConnectionString);
        var prefix = LocalServers.NewKeyPrefix();
        StallCampus campus;
        await using (var first = await StartAsync(database, prefix)) campus = await StallCampus.OpenAsync(first.Channel);
        await using var service = await StartAsync(database, prefix);
        var load = campus.Load(service.Channel);
        var late = new List<string>();
        for (var i = 0; i < stalls.Length; i++)
        {
            await Task.Delay(i == 0 ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(2));
            late.AddRange(await StallOnceAsync(server, stalls[i], load));
        }
        await load.DisposeAsync();

        Assert.True(late.Count == 0, $"answers resumed later than {Resumed.TotalSeconds} s after SIGCONT: {string.Join("; ", late)}\n{service.Output}");
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(servers.RedisConnectionString);
        await campus.AssertNothingAnsweredLostOrDoubledAsync(service.Channel, database, redis, prefix);
    }

    /// <returns>The callers that got no answer within <see cref="Resumed"/> of SIGCONT.</returns>
    private async Task<IEnumerable<string>> StallOnceAsync(StalledServer server, TimeSpan length, CallerLoad load)
    {
        await servers.StopAsync(server);
        var stopped = Stopwatch.GetTimestamp();
        await Task.Delay(length);
        await servers.ContinueAsync(server);
        var continued = Stopwatch.GetTimestamp();
        var resumed = await load.ResumedAsync(continued, TimeSpan.FromSeconds(60));
        // The stall was one: no debit was answered in it, once the calls sent before it had ended (their deadline).
        var meanwhile = load.AnsweredBetween(stopped + (long)(CallerLoad.Deadline.TotalSeconds * Stopwatch.Frequency), continued);
        Assert.All(meanwhile.Where(c => c.Key.StartsWith("debit", StringComparison.Ordinal)), c => Assert.Equal(0, c.Value));
        output.WriteLine($"{server} stopped {length.TotalSeconds} s: answered again after " +
            string.Join(", ", resumed.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value.TotalSeconds:0.00} s")) +
            "; answers meanwhile: " + string.Join(", ", meanwhile.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
        return resumed.Where(r => r.Value > Resumed).Select(r => $"{r.Key} after the {length.TotalSeconds} s stall: {r.Value.TotalSeconds:0.00} s");
    }

    private Task<ServiceProcess> StartAsync(ScratchDatabase database, string prefix) =>
        ServiceProcess.StartAsync(servers.RedisConnectionString, database.ConnectionString, prefix);
}

[CollectionDefinition(StallTests.Alone, DisableParallelization = true)]
public class StallCollection : ICollectionFixture<PrivateServers>;
