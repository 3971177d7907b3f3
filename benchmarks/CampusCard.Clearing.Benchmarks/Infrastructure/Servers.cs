using Npgsql;
using StackExchange.Redis;

namespace CampusCard.Clearing.Benchmarks.Infrastructure;

/// <summary>
/// The real Redis and PostgreSQL to measure against, named by the same environment variables the service reads
/// (scripts/services.sh start exports them).
/// </summary>
public static class Servers
{
    public static string RedisConnectionString => Setting("ConnectionStrings__Redis");
    public static string JournalConnectionString => Setting("ConnectionStrings__Journal");

    public static ConnectionMultiplexer ConnectRedis()
    {
        var redis = ConnectionMultiplexer.Connect(RedisConnectionString);
        redis.PreserveAsyncOrder = false;
        return redis;
    }

    /// <summary>A key prefix of this run's own, so a benchmark shares Redis with tests and services without seeing them.</summary>
    public static string NewKeyPrefix() => $"bench{Guid.NewGuid():N}"[..13] + ":";

    public static async Task DeleteKeysAsync(ConnectionMultiplexer redis, string prefix)
    {
        var db = redis.GetDatabase();
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

    public static NpgsqlConnectionStringBuilder JournalBuilder() => new(JournalConnectionString);

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: run `export CC_ENV=test; source scripts/env.sh; scripts/services.sh start` first, which starts Redis and PostgreSQL and sets it");
}
