using CampusCard.Clearing.Domain;
using CampusCard.Clearing.HotStore.Internal;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore;

/// <summary>
/// The Redis side of the host's repartition command, in its order: <see cref="BeginAsync"/> takes the hot state (refused
/// while it is in use); <see cref="CloseAsync"/> removes the old partitions' sequences, so nothing more is decided in them;
/// once the engine journaled their outboxes, <see cref="DeletePartitionsAsync"/> and <see cref="StoreLayoutAsync"/>; the
/// engine then rebuilds <see cref="Target"/> from the journal, and <see cref="EndAsync"/> lets instances start again.
/// Stopped at any step, it leaves a hot state a start recovers from the journal: before the layout is stored, under the
/// old one (its partitions without a sequence are rebuilt); after, under the new one. A layout is a count of partitions
/// and of journal databases (<see cref="HotStateLayout"/>): adding a journal database is a repartition too.
/// </summary>
public sealed class RedisRepartition
{
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly HotStoreOptions _options;
    private readonly Keys _keys;
    private readonly Presence _presence;

    /// <param name="placement">The journal databases the new layout spreads the partitions over (one when none is given).</param>
    public RedisRepartition(ConnectionMultiplexer redis, IOptions<HotStoreOptions> options, JournalPlacement? placement = null)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _options = options.Value;
        _keys = new Keys(_options.KeyPrefix);
        _presence = new Presence(redis, _keys);
        Target = new RedisHotStore(redis, _options, _options.Partitions, _presence, placement);
    }

    /// <summary>The hot store under HotStore:Partitions and the journal databases, which the engine rebuilds once the layout is stored (its rebuilds pass while this holds the hot state).</summary>
    public RedisHotStore Target { get; }

    public string KeyPrefix => _keys.Prefix;

    /// <summary>How often <see cref="RenewAsync"/> must be called while the repartition runs.</summary>
    public static TimeSpan RenewalInterval => Presence.LockRenewal;

    /// <summary>The layout the hot state was made with; null when none is stored (no service started on it yet).</summary>
    public Task<HotStateLayout?> StoredLayoutAsync() => Target.StoredLayoutAsync();

    /// <summary>Whether every partition of <see cref="Target"/> has its sequence: false after a repartition stopped before it built them all.</summary>
    public async Task<bool> BuiltAsync()
    {
        var built = await Task.WhenAll(Target.Partitions.All.Select(p => _db.KeyExistsAsync(_keys.Sequence(p))));
        return built.All(b => b);
    }

    /// <summary>
    /// The hot store as it was made, with <paramref name="from"/>'s partitions: its outboxes are journaled before it goes
    /// (by partition, whose entries the journal places by their campuses).
    /// </summary>
    public RedisHotStore Stored(HotStateLayout from) => new(_redis, _options, from.Partitions, _presence);

    /// <summary>Takes the hot state for the repartition.</summary>
    /// <exception cref="HotStateInUseException">Another repartition holds it, or a service instance runs on it: nothing was changed.</exception>
    public Task BeginAsync(HotStateLayout from) =>
        _presence.LockAsync(from == Target.Layout ? $"finishing one to {from}" : HotStateLayout.Change(from, Target.Layout));

    /// <summary>Keeps the hold on the hot state; false when it lapsed (instances may have started meanwhile).</summary>
    public Task<bool> RenewAsync() => _presence.RenewLockAsync();

    /// <summary>Removes the sequences of <paramref name="stored"/>'s partitions: they decide and read nothing more.</summary>
    public Task CloseAsync(RedisHotStore stored) => Task.WhenAll(stored.Partitions.All.Select(p => _db.KeyDeleteAsync(_keys.Sequence(p))));

    /// <summary>Deletes every key of every partition, whatever their count (outboxes included: journal them first); the card index stays.</summary>
    public Task DeletePartitionsAsync() => Target.DeleteAsync(_keys.AnyPartition, _ => true);

    /// <summary>Stores the new layout, and what was done for the next start to log.</summary>
    public async Task StoreLayoutAsync(HotStateLayout from, DateTimeOffset at)
    {
        await _db.StringSetAsync(_keys.JournalDatabases, Target.Layout.JournalDatabases);
        await _db.StringSetAsync(_keys.Partitions, Target.Partitions.Count);
        await _db.StringSetAsync(_keys.Repartitioned, $"{HotStateLayout.Change(from, Target.Layout)} at {at:yyyy-MM-dd'T'HH:mm:sszzz}");
    }

    /// <summary>Lets go of the hot state: instances may start on it.</summary>
    public Task EndAsync() => _presence.UnlockAsync();
}

/// <summary>The hot state is in use (a service instance runs on it, or another repartition holds it): the repartition did not begin.</summary>
public sealed class HotStateInUseException(string message) : Exception(message);
