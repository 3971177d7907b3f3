using System.Diagnostics;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Net.Client;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace CampusCard.Clearing.Tests.Instances;

/// <summary>
/// Issue 25's faults, on a Redis Cluster of their own (three masters, three replicas) with two service processes behind
/// HAProxy, under a caller per partition: a master killed with writes it had not replicated (its replica promoted, the
/// partitions that lost writes rebuilt), a manual failover, and an instance killed (the other journals its outbox).
/// Timings are printed, not asserted; what is asserted is that nothing answered is lost or doubled.
/// </summary>
[Collection(Alone)]
[Trait("Suite", "Cluster")]
public class ClusterFaultTests(PrivateCluster cluster, ITestOutputHelper output) : IAsyncLifetime
{
    public const string Alone = "Cluster faults, alone";

    private const int Accounts = 16;

    private readonly string _prefix = LocalServers.NewKeyPrefix();
    private ScratchDatabase _database = null!;
    private ConnectionMultiplexer _redis = null!;
    private readonly List<ServiceProcess> _instances = [];
    private HaProxy _proxy = null!;
    private GrpcChannel _channel = null!;
    private FailoverCampus _campus = null!;

    public async Task InitializeAsync()
    {
        _database = await ScratchDatabase.CreateAsync(migrate: false);
        _redis = await ConnectionMultiplexer.ConnectAsync(cluster.ConnectionString + ",allowAdmin=true");
        var backends = new List<(int, int)>();
        for (var i = 0; i < 2; i++)
        {
            var metrics = LoopbackPorts.Free();
            var instance = await ServiceProcess.StartAsync(cluster.ConnectionString, _database.ConnectionString, _prefix,
                [new("Metrics__Address", $"127.0.0.1:{metrics}"), new("Engine__OutboxSweepAge", "00:00:02"), new("Engine__OutboxSweepInterval", "00:00:00.5")]);
            _instances.Add(instance);
            backends.Add((new Uri(instance.Address).Port, metrics));
        }
        _proxy = await HaProxy.StartAsync(backends);
        _channel = GrpcChannel.ForAddress(_proxy.Address);
        await HaProxy.UntilServingAsync(_channel, _instances.Count);
        _campus = await FailoverCampus.OpenAsync(_channel, Accounts);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _proxy.DisposeAsync();
        foreach (var instance in _instances) await instance.DisposeAsync();
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
        await cluster.StartAsync();
    }

    [Fact]
    public async Task A_master_killed_with_writes_it_had_not_replicated_is_replaced_and_nothing_answered_is_lost_or_doubled()
    {
        var victim = _campus.Accounts[0];
        var (master, replica) = await PrivateCluster.NodesOfAsync(_redis, HotProbe.SequenceKey(_prefix, victim.PersonNo));
        var affected = await OnMasterAsync(master);
        _campus.StartCalling(_channel, TimeSpan.FromMilliseconds(50));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = Stopwatch.GetTimestamp();

        // The replica is held and its link cut: what the master takes from now on reaches no replica before it dies.
        cluster.Stop(replica);
        await _redis.GetServer("127.0.0.1", master).ExecuteAsync("CLIENT", "KILL", "TYPE", "replica");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        cluster.Kill(master);
        cluster.Continue(replica);
        var killed = Stopwatch.GetTimestamp();
        var promoted = await PromotedAsync(replica);
        var resumed = await _campus.ResumedAsync(affected, promoted, TimeSpan.FromSeconds(30));
        var others = _campus.Accounts.Select(a => a.PersonNo).Except(affected).ToList();
        var meanwhile = _campus.P99(others, killed, promoted + (long)(resumed.Values.Max().TotalSeconds * Stopwatch.Frequency));
        await _campus.StopCallingAsync();

        output.WriteLine($"master {master} killed; replica {replica} promoted {Stopwatch.GetElapsedTime(killed, promoted).TotalSeconds:0.00} s later; " +
            $"its {affected.Count} callers answered again {string.Join(", ", resumed.Values.Select(r => $"{r.TotalSeconds:0.00}"))} s after the promotion; " +
            $"the other partitions' p99 {_campus.P99(others, before - 2 * Stopwatch.Frequency, before).TotalMilliseconds:0} ms before, {meanwhile.TotalMilliseconds:0} ms meanwhile; " +
            $"partitions rebuilt: {Rebuilds()}; {_campus.Count} debits");
        Assert.All(resumed.Values, r => Assert.True(r < TimeSpan.FromSeconds(30), "a partition of the killed master never answered again"));
        Assert.True(Rebuilds() > 0, "the replica lost no writes: the test did not test the rebuild");
        await cluster.StartAsync();
        await _campus.AssertNothingAnsweredLostOrDoubledAsync(_channel, _database, _redis.GetDatabase(), _prefix);
    }

    [Fact]
    public async Task A_manual_failover_under_load_loses_and_doubles_nothing()
    {
        var (master, replica) = await PrivateCluster.NodesOfAsync(_redis, HotProbe.SequenceKey(_prefix, _campus.Accounts[0].PersonNo));
        var affected = await OnMasterAsync(master);
        _campus.StartCalling(_channel, TimeSpan.FromMilliseconds(50));
        await Task.Delay(TimeSpan.FromSeconds(2));

        await _redis.GetServer("127.0.0.1", replica).ExecuteAsync("CLUSTER", "FAILOVER");
        var promoted = await PromotedAsync(replica);
        var resumed = await _campus.ResumedAsync(affected, promoted, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await _campus.StopCallingAsync();

        output.WriteLine($"replica {replica} took over from {master}; its {affected.Count} callers answered again " +
            $"{string.Join(", ", resumed.Values.Select(r => $"{r.TotalSeconds:0.00}"))} s after; partitions rebuilt: {Rebuilds()}; {_campus.Count} debits");
        await _campus.AssertNothingAnsweredLostOrDoubledAsync(_channel, _database, _redis.GetDatabase(), _prefix);
    }

    [Fact]
    public async Task An_instance_killed_under_load_leaves_its_callers_to_the_other_which_journals_its_outbox()
    {
        _campus.StartCalling(_channel, TimeSpan.FromMilliseconds(50));
        await Task.Delay(TimeSpan.FromSeconds(2));

        await _instances[0].KillAsync();
        var killed = Stopwatch.GetTimestamp();
        var resumed = await _campus.ResumedAsync(_campus.Accounts.Select(a => a.PersonNo), killed, TimeSpan.FromSeconds(30));
        await _campus.StopCallingAsync();
        var swept = await OutboxesEmptyAsync(TimeSpan.FromSeconds(30));

        output.WriteLine($"instance killed; every caller answered by the other within {resumed.Values.Max().TotalSeconds:0.00} s; " +
            $"the calls stopped, the outboxes empty {Stopwatch.GetElapsedTime(killed).TotalSeconds:0.00} s after the kill ({swept}; sweep age 2 s, interval 0.5 s); {_campus.Count} debits");
        Assert.True(swept, "the killed instance's outbox was not journaled by the other");
        await _campus.AssertNothingAnsweredLostOrDoubledAsync(_channel, _database, _redis.GetDatabase(), _prefix);
    }

    /// <summary>The persons whose partitions the master at <paramref name="port"/> serves.</summary>
    private async Task<List<string>> OnMasterAsync(int port)
    {
        var persons = new List<string>();
        foreach (var account in _campus.Accounts)
            if ((await PrivateCluster.NodesOfAsync(_redis, HotProbe.SequenceKey(_prefix, account.PersonNo))).Master == port) persons.Add(account.PersonNo);
        return persons;
    }

    /// <summary>When the node at <paramref name="port"/> became a master (a <see cref="Stopwatch"/> timestamp).</summary>
    private async Task<long> PromotedAsync(int port)
    {
        var server = _redis.GetServer("127.0.0.1", port);
        for (var i = 0; i < 600; i++)
        {
            if ((string)(await server.ExecuteAsync("ROLE"))[0]! == "master") return Stopwatch.GetTimestamp();
            await Task.Delay(50);
        }
        throw new TimeoutException($"the replica at {port} was not promoted within 30 s");
    }

    private async Task<bool> OutboxesEmptyAsync(TimeSpan atMost)
    {
        var until = Stopwatch.GetTimestamp() + (long)(atMost.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            var lengths = await Task.WhenAll(HotProbe.Partitions.All.Select(p => _redis.GetDatabase().StreamLengthAsync($"{_prefix}{{{p}}}outbox")));
            if (lengths.All(l => l == 0)) return true;
            await Task.Delay(100);
        }
        return false;
    }

    private int Rebuilds() => _instances.Sum(i => i.Output.Split('\n').Count(l => l.Contains("rebuilding it from the journal", StringComparison.Ordinal)));
}

[CollectionDefinition(ClusterFaultTests.Alone, DisableParallelization = true)]
public class ClusterFaultCollection : ICollectionFixture<PrivateCluster>;
