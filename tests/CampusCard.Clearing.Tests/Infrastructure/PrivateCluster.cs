using System.Net;
using CampusCard.Clearing.Testing;
using StackExchange.Redis;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// A Redis Cluster of its own (scripts/cluster.sh: three masters, three replicas) on free loopback ports with a data folder
/// of its own, for the tests that kill or fail over its nodes: the cluster the other tests share is never touched. Stops
/// it and deletes the folder afterwards.
/// </summary>
public sealed class PrivateCluster : IAsyncLifetime
{
    public int FirstPort { get; } = FreeRange();

    public string Folder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("CC_LOCAL") is { Length: > 0 } local ? local : Path.Combine(ExternalClient.RepositoryRoot, ".local", "test"),
        $"cluster-{Guid.NewGuid():N}"[..16]);

    public string ConnectionString => $"{string.Join(",", Ports.Select(p => $"127.0.0.1:{p}"))},abortConnect=false";

    private IEnumerable<int> Ports => Enumerable.Range(FirstPort, 6);

    public Task InitializeAsync() => ClusterAsync("start");

    public async Task DisposeAsync()
    {
        await ClusterAsync("stop");
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Starts the nodes that are down again (a killed master rejoins as its successor's replica) and waits until every slot is served.</summary>
    public Task StartAsync() => ClusterAsync("start");

    /// <summary>
    /// The port of the master serving <paramref name="key"/>'s slot now, and of its replica (ROLE: role, offset, replicas),
    /// once it has one (a master that was failed over rejoins as a replica a moment later).
    /// </summary>
    public static async Task<(int Master, int Replica)> NodesOfAsync(ConnectionMultiplexer redis, RedisKey key)
    {
        var master = redis.GetServer(key);
        for (var i = 0; i < 200; i++)
        {
            var replicas = (RedisResult[])(await master.ExecuteAsync("ROLE"))[2]!;
            if (replicas.Length > 0) return (((IPEndPoint)master.EndPoint!).Port, int.Parse((string)((RedisResult[])replicas[0]!)[1]!));
            await Task.Delay(50);
        }
        throw new TimeoutException($"the master at {master.EndPoint} has no replica after 10 s");
    }

    /// <summary>SIGKILL: the node dies with whatever it had not replicated.</summary>
    public void Kill(int port) => Signals.Send(Pid(port), Signals.Kill);

    /// <summary>SIGSTOP: the node reads nothing until <see cref="Continue"/>.</summary>
    public void Stop(int port) => Signals.Send(Pid(port), Signals.Stop);

    public void Continue(int port) => Signals.Send(Pid(port), Signals.Continue);

    private int Pid(int port) => int.Parse(File.ReadAllText(Path.Combine(Folder, "cluster", $"{port}", "redis.pid")).Trim());

    private Task ClusterAsync(string command) =>
        ExternalClient.RunAsync("bash", [Path.Combine(ExternalClient.RepositoryRoot, "scripts", "cluster.sh"), command], environment: new Dictionary<string, string>
        {
            ["CC_ENV"] = "test", ["CC_LOCAL"] = Folder, ["CC_CLUSTER_PORT"] = $"{FirstPort}",
        }, timeoutSeconds: 300);

    /// <summary>
    /// Six free ports in a row whose bus ports (1000 above) are free too: below the system's ephemeral ports (32768 on),
    /// so no outgoing connection takes one meanwhile, and apart from the fixed ports of scripts/env.sh.
    /// </summary>
    private static int FreeRange()
    {
        while (true)
        {
            var first = Random.Shared.Next(20_000, 25_000);
            if (Enumerable.Range(first, 6).All(p => LoopbackPorts.IsFree(p) && LoopbackPorts.IsFree(p + 1000))) return first;
        }
    }
}
