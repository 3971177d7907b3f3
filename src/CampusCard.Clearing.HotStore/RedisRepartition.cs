using CampusCard.Clearing.HotStore.Internal;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore;

/// <summary>
/// The Redis side of the host's repartition command, in its order: <see cref="BeginAsync"/> takes the hot state (refused
/// while it is in use); <see cref="CloseAsync"/> removes the old partitions' sequences, so nothing more is decided in them;
/// once the engine journaled their outboxes, <see cref="DeletePartitionsAsync"/> and <see cref="StoreCountAsync"/>; the
/// engine then rebuilds <see cref="Target"/> from the journal, and <see cref="EndAsync"/> lets instances start again.
/// Stopped at any step, it leaves a hot state a start recovers from the journal: before the count is stored, under the
/// old count (its partitions without a sequence are rebuilt); after, under the new one.
/// </summary>
public sealed class RedisRepartition
{
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly HotStoreOptions _options;
    private readonly Keys _keys;
    private readonly Presence _presence;

    public RedisRepartition(ConnectionMultiplexer redis, IOptions<HotStoreOptions> options)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _options = options.Value;
        _keys = new Keys(_options.KeyPrefix);
        _presence = new Presence(redis, _keys);
        Target = new RedisHotStore(redis, _options, _options.Partitions, _presence);
    }

    /// <summary>The hot store under HotStore:Partitions, which the engine rebuilds once the count is stored (its rebuilds pass while this holds the hot state).</summary>
    public RedisHotStore Target { get; }

    public string KeyPrefix => _keys.Prefix;

    /// <summary>How often <see cref="RenewAsync"/> must be called while the repartition runs.</summary>
    public static TimeSpan RenewalInterval => Presence.LockRenewal;

    /// <summary>The count the hot state was made with; null when none is stored (no service started on it yet).</summary>
    public async Task<int?> StoredCountAsync()
    {
        var stored = await _db.StringGetAsync(_keys.Partitions);
        return stored.HasValue ? (int)stored : null;
    }

    /// <summary>Whether every partition of <see cref="Target"/> has its sequence: false after a repartition stopped before it built them all.</summary>
    public async Task<bool> BuiltAsync()
    {
        var built = await Task.WhenAll(Target.Partitions.All.Select(p => _db.KeyExistsAsync(_keys.Sequence(p))));
        return built.All(b => b);
    }

    /// <summary>The hot store as it was made, with <paramref name="count"/> partitions: its outboxes are journaled before it goes.</summary>
    public RedisHotStore Stored(int count) => new(_redis, _options, count, _presence);

    /// <summary>Takes the hot state for the repartition.</summary>
    /// <exception cref="HotStateInUseException">Another repartition holds it, or a service instance runs on it: nothing was changed.</exception>
    public Task BeginAsync(int from) =>
        _presence.LockAsync(from == Target.Partitions.Count ? $"finishing one to {from} partitions" : $"from {from} to {Target.Partitions.Count} partitions");

    /// <summary>Keeps the hold on the hot state; false when it lapsed (instances may have started meanwhile).</summary>
    public Task<bool> RenewAsync() => _presence.RenewLockAsync();

    /// <summary>Removes the sequences of <paramref name="stored"/>'s partitions: they decide and read nothing more.</summary>
    public Task CloseAsync(RedisHotStore stored) => Task.WhenAll(stored.Partitions.All.Select(p => _db.KeyDeleteAsync(_keys.Sequence(p))));

    /// <summary>Deletes every key of every partition, whatever their count (outboxes included: journal them first); the card index stays.</summary>
    public Task DeletePartitionsAsync() => Target.DeleteAsync(_keys.AnyPartition, _ => true);

    /// <summary>Stores the new count, and what was done for the next start to log.</summary>
    public async Task StoreCountAsync(int from, DateTimeOffset at)
    {
        await _db.StringSetAsync(_keys.Partitions, Target.Partitions.Count);
        await _db.StringSetAsync(_keys.Repartitioned, $"from {from} to {Target.Partitions.Count} partitions at {at:yyyy-MM-dd'T'HH:mm:sszzz}");
    }

    /// <summary>Lets go of the hot state: instances may start on it.</summary>
    public Task EndAsync() => _presence.UnlockAsync();
}

/// <summary>The hot state is in use (a service instance runs on it, or another repartition holds it): the repartition did not begin.</summary>
public sealed class HotStateInUseException(string message) : Exception(message);
