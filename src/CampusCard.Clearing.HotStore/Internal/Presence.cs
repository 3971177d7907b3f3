using CampusCard.Clearing.Domain.Ports;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// Who uses the hot state under a prefix. A running instance keeps a mark, {prefix}instance:{id}, that lapses
/// <see cref="Lifetime"/> after its last renewal (a killed instance's within that; a stopped one removes its own). The
/// repartition command holds {prefix}repartitioning while it runs, renewing it every <see cref="LockRenewal"/>. Each side
/// writes its own key before it looks for the other's, so of an instance starting and a repartition beginning at the
/// same moment at least one sees the other and refuses.
/// </summary>
internal sealed class Presence(ConnectionMultiplexer redis, Keys keys)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan LockLifetime = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan LockRenewal = LockLifetime / 3;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly string _who = $"{Environment.MachineName} pid {Environment.ProcessId} since {DateTimeOffset.Now:yyyy-MM-dd'T'HH:mm:sszzz}";
    private string? _lock;

    private RedisKey Mark => keys.Instance(_id);

    /// <summary>Marks this instance as using the hot state; refused while a repartition holds it.</summary>
    /// <exception cref="UnsafeHotStoreException">A repartition is under way.</exception>
    private async Task EnterAsync()
    {
        await _db.StringSetAsync(Mark, _who, Lifetime);
        if (await RepartitionAsync() is { } repartition)
        {
            await LeaveAsync();
            throw new UnsafeHotStoreException($"a repartition of the hot state under '{keys.Prefix}' is under way ({repartition}): start the service once it has finished");
        }
    }

    /// <summary>Marks this instance, then runs <paramref name="check"/> on the hot state; a check that refuses removes the mark again.</summary>
    /// <exception cref="UnsafeHotStoreException">A repartition is under way, or <paramref name="check"/> refused.</exception>
    public async Task EnterAsync(Func<Task> check)
    {
        await EnterAsync();
        try
        {
            await check();
        }
        catch (UnsafeHotStoreException)
        {
            await LeaveAsync();
            throw;
        }
    }

    /// <summary>Renews the mark; false when it had lapsed (it is not written again then).</summary>
    public Task<bool> RenewAsync() => _db.StringSetAsync(Mark, _who, Lifetime, When.Exists);

    public Task LeaveAsync() => _db.KeyDeleteAsync(Mark);

    /// <summary>The repartition under way, as it describes itself; null when none is, or this holds it.</summary>
    public async Task<string?> RepartitionAsync()
    {
        var value = (string?)await _db.StringGetAsync(keys.Repartitioning);
        return value is null || value == _lock ? null : Described(value);
    }

    /// <summary>Takes the repartition lock, then looks for running instances' marks.</summary>
    /// <exception cref="HotStateInUseException">Another repartition holds the lock, or an instance is marked: nothing was changed.</exception>
    public async Task LockAsync(string what)
    {
        var value = $"{_id} {what}, on {_who}";
        if (!await _db.LockTakeAsync(keys.Repartitioning, value, LockLifetime))
            throw new HotStateInUseException($"another repartition of the hot state under '{keys.Prefix}' is under way ({await RepartitionAsync()})");
        _lock = value;
        var instances = await InstancesAsync();
        if (instances.Count == 0) return;
        await UnlockAsync();
        throw new HotStateInUseException(
            $"the hot state under '{keys.Prefix}' is in use by {instances.Count} service instance(s) ({string.Join("; ", instances)}): stop every instance first (a stopped instance removes its mark; a killed one's lapses within {Lifetime.TotalSeconds:0} s)");
    }

    /// <summary>Renews the lock; false when it had lapsed.</summary>
    public async Task<bool> RenewLockAsync() =>
        _lock is { } value && (int)await Scripts.Library.CallAsync(redis, _db, Scripts.LockExtend, [keys.Repartitioning], [value, (long)LockLifetime.TotalMilliseconds]) == 1;

    /// <summary>Lets go of the lock (one that lapsed meanwhile is let go of already).</summary>
    public async Task UnlockAsync()
    {
        if (_lock is { } value) await Scripts.Library.CallAsync(redis, _db, Scripts.LockRelease, [keys.Repartitioning], [value]);
        _lock = null;
    }

    /// <summary>The running instances' marks, found on every primary.</summary>
    private async Task<IReadOnlyList<string>> InstancesAsync()
    {
        var marks = new List<RedisKey>();
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            await foreach (var key in server.KeysAsync(pattern: keys.Instance("*"), pageSize: 1000)) marks.Add(key);
        var values = await Task.WhenAll(marks.Select(key => _db.StringGetAsync(key)));
        return [.. values.Where(v => v.HasValue).Select(v => (string)v!)];
    }

    /// <summary>A lock's value without the id that tells its holder.</summary>
    private static string Described(string value) => value[(value.IndexOf(' ', StringComparison.Ordinal) + 1)..];
}
