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

    public static async Task DeleteKeysAsync(string prefix)
    {
        var db = Redis.GetDatabase();
        var cursor = "0";
        do
        {
            var page = (RedisResult[])(await db.ExecuteAsync("SCAN", cursor, "MATCH", prefix + "*", "COUNT", 1000))!;
            cursor = (string)page[0]!;
            var keys = (RedisKey[])page[1]!;
            if (keys.Length > 0) await db.KeyDeleteAsync(keys);
        }
        while (cursor != "0");
    }
}
