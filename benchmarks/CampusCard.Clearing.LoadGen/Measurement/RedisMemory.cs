using System.Globalization;
using CampusCard.Clearing.HotStore.Internal;
using Npgsql;
using StackExchange.Redis;

namespace CampusCard.Clearing.LoadGen.Measurement;

/// <summary>Redis's used_memory (INFO memory) and the journal's transactions at one moment.</summary>
/// <param name="Rows">Every decision is one journal row and leaves one idempotency record in Redis for the window.</param>
public sealed record MemoryPoint(long UsedBytes, long Rows);

/// <summary>One kind of key by MEMORY USAGE of a sample: keys sampled, their mean bytes, and their mean entries (a hash's fields, else 1).</summary>
public sealed record KeySample(string Kind, int Keys, double MeanBytes, double MeanEntries);

/// <summary>
/// What the hot state costs in Redis, from used_memory deltas: bytes per record over a run (its delta over the records its
/// decisions left), bytes per holder over the setup (its delta, less its own records at that price, over the holders it opened),
/// and MEMORY USAGE of sampled keys of each kind. used_memory counts what MEMORY USAGE leaves out: the key space's and the expiry
/// table's buckets and entries.
/// </summary>
public sealed record RedisMemoryReport(
    int Holders, MemoryPoint BeforeSetup, MemoryPoint AfterSetup, MemoryPoint BeforeRun, MemoryPoint AfterRun, IReadOnlyList<KeySample> Samples)
{
    public double BytesPerRecord => Ratio(AfterRun.UsedBytes - BeforeRun.UsedBytes, AfterRun.Rows - BeforeRun.Rows);

    public double BytesPerHolder =>
        Ratio(AfterSetup.UsedBytes - BeforeSetup.UsedBytes - (AfterSetup.Rows - BeforeSetup.Rows) * BytesPerRecord, Holders);

    private static double Ratio(double bytes, long count) => count == 0 ? 0 : Math.Round(bytes / count, 1);
}

/// <summary>Reads Redis's memory and the journal's row count for <see cref="RedisMemoryReport"/>.</summary>
internal sealed class RedisMemory(ConnectionMultiplexer redis, NpgsqlDataSource journal, Keys keys) : IAsyncDisposable
{
    private const int SampleSize = 500;

    public static async Task<RedisMemory> ConnectAsync(LoadOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AllowAdmin = true;
        return new RedisMemory(await ConnectionMultiplexer.ConnectAsync(configuration), NpgsqlDataSource.Create(options.Journal), new Keys(options.KeyPrefix));
    }

    public async Task<MemoryPoint> PointAsync(CancellationToken cancellationToken)
    {
        await using var command = journal.CreateCommand("SELECT count(*) FROM transactions");
        var rows = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        var info = await Server.InfoAsync("memory");
        var used = info.SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        return new MemoryPoint(long.Parse(used, CultureInfo.InvariantCulture), rows);
    }

    /// <summary>Up to <see cref="SampleSize"/> keys of each kind, found by SCAN.</summary>
    public async Task<IReadOnlyList<KeySample>> SampleKeysAsync()
    {
        var db = redis.GetDatabase();
        var samples = new List<KeySample>();
        foreach (var (kind, pattern) in keys.Kinds)
        {
            var found = new List<RedisKey>();
            await foreach (var key in Server.KeysAsync(pattern: pattern, pageSize: 1000))
            {
                found.Add(key);
                if (found.Count == SampleSize) break;
            }
            if (found.Count == 0) continue;
            long bytes = 0, entries = 0;
            foreach (var key in found)
            {
                bytes += (long)await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", 0);
                entries += await db.KeyTypeAsync(key) == RedisType.Hash ? await db.HashLengthAsync(key) : 1;
            }
            samples.Add(new KeySample(kind, found.Count, Math.Round((double)bytes / found.Count, 1), Math.Round((double)entries / found.Count, 2)));
        }
        return samples;
    }

    private IServer Server => redis.GetServers()[0];

    public async ValueTask DisposeAsync()
    {
        await redis.DisposeAsync();
        await journal.DisposeAsync();
    }
}
