using CampusCard.Clearing.HotStore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.Testing;

/// <summary>
/// The real Redis and PostgreSQL that scripts/test.sh (or scripts/services.sh start) starts; their
/// addresses come from the same environment variables the service reads.
/// </summary>
public static class LocalServers
{
    public static string RedisConnectionString => Setting("ConnectionStrings__Redis");
    public static string JournalConnectionString => Setting("ConnectionStrings__Journal");

    private static readonly Lazy<ConnectionMultiplexer> SharedRedis = new(() => ConnectionMultiplexer.Connect(RedisConnectionString));

    public static ConnectionMultiplexer Redis => SharedRedis.Value;

    /// <summary>A hot store over the keys under <paramref name="prefix"/>, its idempotency window a week unless <paramref name="window"/> says otherwise.</summary>
    public static RedisHotStore HotStore(string prefix, int partitions = 16, TimeSpan? window = null) =>
        new(Redis, Options.Create(new HotStoreOptions { KeyPrefix = prefix, IdempotencyWindow = window ?? TimeSpan.FromDays(7), Partitions = partitions }));

    /// <summary>A key prefix of its own, so tests, benchmarks and services share one Redis without seeing each other.</summary>
    public static string NewKeyPrefix() => $"t{Guid.NewGuid():N}"[..13] + ":";

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with scripts/test.sh (benchmarks: scripts/bench.sh --micro), which start Redis and PostgreSQL and set it");

    /// <summary>Whether the tests run on a Redis Cluster (scripts/test.sh's second pass), not on one Redis.</summary>
    public static bool IsCluster => Redis.GetServers().Any(s => s.ServerType == ServerType.Cluster);

    /// <summary>The keys matching <paramref name="pattern"/> on every primary (a cluster spreads them over its masters).</summary>
    public static IEnumerable<RedisKey> Keys(string pattern) =>
        Redis.GetServers().Where(s => s.IsConnected && !s.IsReplica).SelectMany(s => s.Keys(pattern: pattern, pageSize: 1000));

    public static async Task DeleteKeysAsync(string prefix)
    {
        var db = Redis.GetDatabase();
        // One key a command: in a cluster a command's keys must share a slot.
        await Task.WhenAll(Keys(prefix + "*").ToList().Select(k => db.KeyDeleteAsync(k)));
    }
}
