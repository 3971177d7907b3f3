using System.Globalization;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.HotStore.Internal;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore;

/// <summary>
/// The hot store on Redis. One shared multiplexer, async calls only; each batch is one FCALL of the decide
/// function, which also appends the decided batch to the outbox stream and removes the entries the caller reports
/// journaled.
/// </summary>
public sealed class RedisHotStore : IHotStore
{
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly Keys _keys;
    private readonly string _ttlSeconds;
    private readonly long _autoTopUpLifetimeMs;
    private readonly long[] _highWater;
    private readonly Presence _presence;

    /// <param name="placement">The journal databases and each campus's (one database when none is given).</param>
    public RedisHotStore(ConnectionMultiplexer redis, IOptions<HotStoreOptions> options, JournalPlacement? placement = null)
        : this(redis, options.Value, options.Value.Partitions, new Presence(redis, new Keys(options.Value.KeyPrefix)), placement)
    {
    }

    /// <param name="partitions">The count this store works with (the repartition command's store of the old count).</param>
    /// <param name="presence">This instance's mark and hold on the hot state (shared by the repartition command's stores).</param>
    internal RedisHotStore(ConnectionMultiplexer redis, HotStoreOptions options, int partitions, Presence presence, JournalPlacement? placement = null)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _keys = new Keys(options.KeyPrefix);
        _presence = presence;
        Partitions = new Partitioning(partitions, placement);
        _highWater = new long[Partitions.Count];
        IdempotencyWindow = options.IdempotencyWindow;
        _ttlSeconds = ((long)IdempotencyWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        _autoTopUpLifetimeMs = (long)options.AutoTopUpLifetime.TotalMilliseconds;
        redis.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType != ConnectionType.Interactive) return;
            foreach (var partition in PartitionsOn(e.EndPoint)) PartitionShaken?.Invoke(partition);
        };
    }

    public event Action<int>? PartitionShaken;

    /// <summary>
    /// The partitions the server at <paramref name="endPoint"/> held as a primary, as the client last knew the slots;
    /// every partition when the client cannot say.
    /// </summary>
    private IReadOnlyList<int> PartitionsOn(System.Net.EndPoint? endPoint)
    {
        try
        {
            return [.. Partitions.All.Where(p => Equals(_redis.GetServer((RedisKey)_keys.Outbox(p)).EndPoint, endPoint))];
        }
        catch (RedisException)
        {
            return [.. Partitions.All];
        }
    }

    public Partitioning Partitions { get; }

    public TimeSpan IdempotencyWindow { get; }

    public int PartitionOf(HotTarget target) => Partitions.Of(target.Tag);

    /// <inheritdoc />
    public long HighWater(int partition) => Volatile.Read(ref _highWater[partition]);

    /// <inheritdoc />
    public void SetHighWater(int partition, long sequence) => Volatile.Write(ref _highWater[partition], sequence);

    /// <summary>Raises what this process knows of the partition's sequence (never lowers it).</summary>
    private void RaiseHighWater(int partition, long sequence)
    {
        long seen;
        do
        {
            seen = Volatile.Read(ref _highWater[partition]);
            if (sequence <= seen) return;
        }
        while (Interlocked.CompareExchange(ref _highWater[partition], sequence, seen) != seen);
    }

    public async Task CheckConfigurationAsync()
    {
        // INFO, not CONFIG: a managed Redis may rename CONFIG away. The client counts INFO as an admin command, so the
        // check has a short-lived connection of its own and the service's connection stays without admin rights. Every
        // primary of a cluster is asked: a partition lives on any of them.
        var admin = ConfigurationOptions.Parse(_redis.Configuration);
        admin.AllowAdmin = true;
        admin.AbortOnConnectFail = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(admin);
        foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            var policy = (await server.InfoAsync("memory")).SelectMany(g => g).FirstOrDefault(p => p.Key == "maxmemory_policy").Value;
            if (policy != "noeviction")
                throw new UnsafeHotStoreException(
                    $"Redis at {server.EndPoint} has maxmemory-policy '{policy}': it may evict keys, and an evicted idempotency record would let money move twice. Set maxmemory-policy noeviction (scripts/services.sh does).");
        }
        await CheckFormatAsync();
        // Marked before the partitions are read: a repartition that begins now sees the mark, or this sees its lock.
        await _presence.EnterAsync(CheckCountAsync);
        await Scripts.Library.LoadAsync(_redis);
    }

    /// <summary>
    /// A hot state of an older format is rebuilt from the journal at start: its partitions' sequences carry the format in
    /// their names (<see cref="Keys.Format"/>), so none is found. What a rebuild would not overwrite goes first, once: from a
    /// store made before partitions (none recorded) everything but the outbox recovery drains, from format 7 its card index.
    /// </summary>
    private async Task CheckFormatAsync()
    {
        if ((int?)await _db.StringGetAsync(_keys.StoredFormat) == Keys.Format) return;
        if (!await _db.KeyExistsAsync(_keys.Partitions)) await DeleteAsync(_keys.Prefix + "*", key => key != _keys.Outbox(OutboxBatch.PreviousRelease) && !IsMark(key));
        else await DeleteAsync(_keys.Format7Cards, _ => true);
        await _db.StringSetAsync(_keys.StoredFormat, Keys.Format);
    }

    /// <summary>How this store lays the hot state out: its partitions, over its journal databases.</summary>
    public HotStateLayout Layout => new(Partitions.Count, Partitions.Placement.Databases);

    /// <summary>
    /// How the hot state under the prefix was made; null when it holds no count (no service started on it yet). One made
    /// before journal placement was made for one database.
    /// </summary>
    public async Task<HotStateLayout?> StoredLayoutAsync()
    {
        var partitions = await _db.StringGetAsync(_keys.Partitions);
        if (!partitions.HasValue) return null;
        return new HotStateLayout((int)partitions, (int?)await _db.StringGetAsync(_keys.JournalDatabases) ?? 1);
    }

    /// <summary>
    /// A hot state made with another number of partitions, or over another number of journal databases, is refused: its
    /// keys are elsewhere (the repartition command changes it). One without a count (new, or made before partitions)
    /// becomes this layout's, and every partition is rebuilt. The databases are stored before the count: a count found
    /// without them is older than journal placement.
    /// </summary>
    private async Task CheckCountAsync()
    {
        if (!await _db.KeyExistsAsync(_keys.Partitions))
        {
            await _db.StringSetAsync(_keys.JournalDatabases, Layout.JournalDatabases, when: When.NotExists);
            await _db.StringSetAsync(_keys.Partitions, Partitions.Count, when: When.NotExists);
        }
        if (await StoredLayoutAsync() is { } stored && stored != Layout) throw new UnsafeHotStoreException(OtherLayout(stored));
    }

    private bool IsMark(RedisKey key) => key.ToString().StartsWith(_keys.Instance(""), StringComparison.Ordinal);

    private string OtherLayout(HotStateLayout stored) => stored.JournalDatabases == Layout.JournalDatabases
        ? $"the hot state under '{_keys.Prefix}' has {stored.Partitions} partitions, not the {Partitions.Count} of HotStore:Partitions: with every instance stopped, run the host's repartition command (dotnet CampusCard.Clearing.Host.dll repartition; docs/operations.md), or set HotStore__Partitions={stored.Partitions}"
        : $"the hot state under '{_keys.Prefix}' has {stored}, not the {Layout} configured (HotStore__Partitions, ConnectionStrings__Journal and Journal__Databases__*): with every instance stopped, run the host's repartition command (dotnet CampusCard.Clearing.Host.dll repartition; docs/operations.md)";

    /// <inheritdoc />
    public TimeSpan PresenceLifetime => Presence.Lifetime;

    /// <inheritdoc />
    public async Task RenewPresenceAsync()
    {
        if (await _presence.RenewAsync()) return;
        // The mark lapsed: this instance was cut off from Redis (or stood still) longer than its lifetime, and a repartition may have run meanwhile.
        await _presence.EnterAsync(CheckCountAsync);
    }

    /// <inheritdoc />
    public Task LeaveAsync() => _presence.LeaveAsync();

    /// <inheritdoc />
    public async Task<string?> TakeRepartitionNoteAsync() => await _db.StringGetDeleteAsync(_keys.Repartitioned);

    public async Task<DecidedBatch> DecideAsync(int partition, IReadOnlyList<HotRequest> requests, DateTimeOffset now, int businessDay,
        IReadOnlyList<string> acknowledged, IReadOnlyList<JournalEntry> journaled)
    {
        var keys = new RedisKey[2 + 3 * requests.Count];
        keys[0] = _keys.Sequence(partition);
        keys[1] = _keys.Outbox(partition);
        var keyIndex = new Dictionary<(string, string), int>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (r, target) = requests[i];
            var record = _keys.Record(partition, r.Scope, r.RequestId);
            keys[2 + 3 * i] = _keys.Holder(partition, target.Tag);
            keys[3 + 3 * i] = record;
            var actsOnOriginal = r.Descriptor.ActsOnOriginal;
            keys[4 + 3 * i] = actsOnOriginal ? _keys.Record(partition, r.Scope, r.OriginalRequestId) : record;
            // Lua counts keys from 1.
            keyIndex.TryAdd((r.Scope, r.RequestId), 4 + 3 * i);
            if (actsOnOriginal) keyIndex.TryAdd((r.Scope, r.OriginalRequestId), 5 + 3 * i);
        }
        var hints = new List<(int Key, byte[] Record)>();
        foreach (var (scope, requestId, record, _, _) in RecordRebuilder.Rebuild(journaled))
            if (keyIndex.TryGetValue((scope, requestId), out var key)) hints.Add((key, record));

        var values = new RedisValue[8 + acknowledged.Count + 2 * hints.Count + 2 * requests.Count];
        var v = 0;
        values[v++] = now.ToUnixTimeMilliseconds();
        values[v++] = businessDay;
        values[v++] = _ttlSeconds;
        values[v++] = HighWater(partition);
        values[v++] = _autoTopUpLifetimeMs;
        values[v++] = partition;
        values[v++] = acknowledged.Count;
        foreach (var id in acknowledged) values[v++] = id;
        values[v++] = hints.Count;
        foreach (var (key, record) in hints)
        {
            values[v++] = key;
            values[v++] = record;
        }
        foreach (var (r, target) in requests)
        {
            values[v++] = Layouts.Request.Pack(
            [
                (long)r.Kind, r.Fingerprint, r.AmountFen, (long)r.PreDecline, r.CardNo.Length > 0 ? CardNumbers.Fingerprint(r.CardNo) : 0,
                r.MerchantNo, (long)r.Direction, target.Known ? 1 : 0, r.Code, r.Flag ? 1 : 0, r.LimitFen, (long)r.Pin,
                r.Terms.A, r.Terms.B, r.HolderId, r.Ref, r.OccurredAtMs, (long)r.IdNumber,
            ]);
            values[v++] = Payloads.Write(r);
        }

        var items = (RedisResult[])(await CallAsync(Scripts.Decide, keys, values))!;
        var results = new HotResult[requests.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var item = (byte[])items[i + 1]!;
            results[i] = item[0] switch
            {
                (byte)'N' => new HotResult(HotOutcome.New, Records.Read(item.AsSpan(1), requests[i].Target)),
                (byte)'R' => new HotResult(HotOutcome.Replay, Records.Read(item.AsSpan(1))),
                _ => new HotResult(HotOutcome.Conflict, null),
            };
            if (results[i] is { Outcome: HotOutcome.New, Decision: { } d }) RaiseHighWater(partition, TransactionIds.SequenceOf(d.TransactionId));
        }
        var outboxId = (string?)items[0];
        return new DecidedBatch(partition, string.IsNullOrEmpty(outboxId) ? null : outboxId, results);
    }

    public async Task<IReadOnlyDictionary<string, CardRef>> ResolveCardsAsync(IReadOnlyCollection<string> cardKeys)
    {
        var found = new Dictionary<string, CardRef>(StringComparer.Ordinal);
        if (cardKeys.Count == 0) return found;
        var numbers = cardKeys.ToArray();
        // One HGET each: in a cluster the card index's hashes are spread over the slots (the client pipelines them).
        var values = await Task.WhenAll(numbers.Select(c => _keys.Card(c)).Select(c => _db.HashGetAsync(c.Key, c.Field)));
        for (var i = 0; i < numbers.Length; i++)
            if (values[i].HasValue) found[numbers[i]] = new CardRef(values[i]!);
        return found;
    }

    public async Task<HolderHotState?> ReadHolderAsync(HotTarget holder)
    {
        var tag = holder.Tag;
        var partition = Partitions.Of(tag);
        var result = await CallAsync(Scripts.Read, [_keys.Sequence(partition), _keys.Holder(partition, tag)], [HighWater(partition), holder.Known ? 1 : 0]);
        var value = (byte[]?)result;
        return value is null ? null : HolderFormat.Read(holder.Campus, holder.PersonNo, value);
    }

    public Task AcknowledgeAsync(int partition, IReadOnlyList<string> outboxIds)
    {
        if (outboxIds.Count == 0) return Task.CompletedTask;
        return _db.StreamDeleteAsync(_keys.Outbox(partition), outboxIds.Select(id => (RedisValue)id).ToArray());
    }

    public async Task<IReadOnlyList<OutboxBatch>> ReadOutboxAsync(int partition, int maxBatches, TimeSpan minAge)
    {
        // A key, not a string: the client sends a command to the node of its key's slot.
        RedisKey outbox = _keys.Outbox(partition);
        // Stream ids begin with the Redis server's unix milliseconds, so age is measured on the partition's server's clock.
        var end = "+";
        if (minAge > TimeSpan.Zero)
        {
            var time = await _redis.GetServer(outbox).TimeAsync();
            end = (new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds() - (long)minAge.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }
        var result = (RedisResult[])(await _db.ExecuteAsync("XRANGE", outbox, "-", end, "COUNT", maxBatches))!;
        var batches = new List<OutboxBatch>(result.Length);
        foreach (var item in result)
        {
            var entry = (RedisResult[])item!;
            var fields = (RedisResult[])entry[1]!;
            var entries = new List<JournalEntry>(fields.Length / 2);
            for (var i = 0; i < fields.Length; i += 2) entries.Add(ReadOutboxEntry((byte[])fields[i]!, (byte[])fields[i + 1]!));
            batches.Add(new OutboxBatch(partition, (string)entry[0]!, entries));
        }
        return batches;
    }

    /// <summary>An entry's payload and record, in this format or the previous release's.</summary>
    private static JournalEntry ReadOutboxEntry(byte[] payload, byte[] record)
    {
        var request = Payloads.Read(payload);
        return new JournalEntry(request, Records.Read(record, HotTarget.Person(request.Campus, request.PersonNo, known: true)));
    }

    public async Task<IReadOnlyList<(string OutboxId, long FirstTransactionId)>> OutboxHeadAsync(int partition, int maxBatches)
    {
        var result = (RedisResult[])(await _db.ExecuteAsync("XRANGE", (RedisKey)_keys.Outbox(partition), "-", "+", "COUNT", maxBatches))!;
        var head = new List<(string, long)>(result.Length);
        foreach (var item in result)
        {
            var entry = (RedisResult[])item!;
            var fields = (RedisResult[])entry[1]!;
            head.Add(((string)entry[0]!, Records.Read((byte[])fields[1]!).TransactionId));
        }
        return head;
    }

    public async Task<long?> GetSequenceAsync(int partition)
    {
        var value = await _db.StringGetAsync(_keys.Sequence(partition));
        return long.TryParse((string?)value, CultureInfo.InvariantCulture, out var sequence) ? sequence : null;
    }

    public Task FenceAsync(int partition) => _db.StringSetAsync(_keys.Sequence(partition), Fenced);

    /// <summary>A fenced partition's sequence: not a number, so every decide, read and advance refuses it (Lua/decide.lua).</summary>
    private const string Fenced = "fenced";

    public async Task<long?> AdvanceAsync(int partition, long sequence)
    {
        var result = await CallAsync(Scripts.Advance, [_keys.Sequence(partition)], [sequence]);
        return result.IsNull ? null : (long)result;
    }

    public Task AddCardAsync(IssuedCard card) => AddCardAsync(Campuses.Qualify(card.Campus, card.CardNo), card.PersonNo);

    /// <param name="cardKey">The card's number within its campus (<see cref="Campuses.Qualify"/>).</param>
    private Task AddCardAsync(string cardKey, string personNo)
    {
        var (key, field) = _keys.Card(cardKey);
        return _db.HashSetAsync(key, field, personNo);
    }

    public async Task<string> BeginRebuildAsync(int partition)
    {
        await CheckRebuildAllowedAsync();
        // Without its sequence the partition refuses every decide and read at once, until a rebuild completes; without its
        // keys and its marker, a rebuild begun before this one writes and completes nothing more (restore.lua, complete.lua).
        await _db.KeyDeleteAsync(_keys.Sequence(partition));
        await DeletePartitionAsync(partition);
        var rebuild = Guid.NewGuid().ToString("N");
        await _db.StringSetAsync(_keys.Rebuilding(partition), rebuild);
        return rebuild;
    }

    public async Task RestoreAsync(int partition, string rebuild, HotSnapshot snapshot)
    {
        var keys = new List<RedisKey>(snapshot.Holders.Count + snapshot.RecentEntries.Count);
        var values = new List<RedisValue>(2 * keys.Capacity);
        foreach (var h in snapshot.Holders)
        {
            keys.Add(_keys.Holder(partition, h.Target.Tag));
            values.Add(HolderFormat.WriteHot(h));
            values.Add(0);
        }
        foreach (var (scope, requestId, record, decidedAtMs, holderCampus) in RecordRebuilder.Rebuild(snapshot.RecentEntries))
        {
            var ttl = DateTimeOffset.FromUnixTimeMilliseconds(decidedAtMs) + IdempotencyWindow - snapshot.Now;
            if (ttl <= TimeSpan.Zero || Partitions.Of(TagOf(scope, holderCampus, snapshot.Cards)) != partition) continue;
            keys.Add(_keys.Record(partition, scope, requestId));
            values.Add(record);
            values.Add((long)Math.Ceiling(ttl.TotalMilliseconds));
        }
        await Task.WhenAll(snapshot.Cards.Select(c => AddCardAsync(c.Key, c.Value.PersonNo)));
        for (var from = 0; from < keys.Count; from += RestoreChunk)
        {
            var count = Math.Min(RestoreChunk, keys.Count - from);
            var written = (long)(await CallAsync(Scripts.Restore, [_keys.Rebuilding(partition), .. keys.GetRange(from, count)], [rebuild, .. values.GetRange(2 * from, 2 * count)]))!;
            if (written != 1) throw Superseded(partition);
        }
        var completed = (long)(await CallAsync(Scripts.Complete, [_keys.Rebuilding(partition), _keys.Sequence(partition)], [rebuild, snapshot.Sequence]))!;
        if (completed != 1) throw Superseded(partition);
        // Set, not raised: what this instance decided above the journal was dropped, never answered.
        SetHighWater(partition, snapshot.Sequence);
    }

    /// <summary>Keys a rebuild writes in one step (restore.lua).</summary>
    private const int RestoreChunk = 500;

    private static HotStoreLostWritesException Superseded(int partition) =>
        new($"partition {partition}'s hot state was changed or flushed, or another rebuild began, while it was rebuilt; rebuilding again", found: false);

    /// <summary>
    /// A rebuild deletes the partition's keys first: refused while a repartition holds the hot state (unless this store is
    /// the repartition's own), and when the hot state was made with another count or over other journal databases (an
    /// instance that stood still through a repartition), so an instance of the old layout never writes over the new one.
    /// </summary>
    private async Task CheckRebuildAllowedAsync()
    {
        if (await _presence.RepartitionAsync() is { } repartition)
            throw new UnsafeHotStoreException($"a repartition of the hot state under '{_keys.Prefix}' is under way ({repartition}): this instance may not rebuild a partition");
        if (await StoredLayoutAsync() is { } stored && stored != Layout) throw new UnsafeHotStoreException(OtherLayout(stored));
    }

    /// <summary>
    /// Where a scope's records live: under the holder of its card or person, or under the card nobody holds (each within the
    /// scope's campus); a shared card's under its holder at <paramref name="holderCampus"/> (0: the scope's campus).
    /// </summary>
    private static string TagOf(string scope, short holderCampus, IReadOnlyDictionary<string, CardRef> cards)
    {
        var (campus, id) = Campuses.Unqualify(scope);
        var cardCampus = holderCampus == Campuses.None ? campus : holderCampus;
        return id.StartsWith("c:", StringComparison.Ordinal) && cards.TryGetValue(Campuses.Qualify(cardCampus, id[2..]), out var card)
            ? Campuses.Qualify(cardCampus, "p:" + card.PersonNo)
            : scope;
    }

    /// <summary>Every key of the partition but its outbox, whose entries are journaled before a rebuild and never dropped.</summary>
    private async Task DeletePartitionAsync(int partition)
    {
        var outbox = (RedisKey)_keys.Outbox(partition);
        // The partition is one slot: its keys are all on the server that holds that slot.
        await DeleteAsync(_redis.GetServer(outbox), _keys.Of(partition) + "*", key => key != outbox);
    }

    /// <summary>The keys matching <paramref name="pattern"/> that <paramref name="delete"/> picks, on every primary.</summary>
    internal async Task DeleteAsync(string pattern, Func<RedisKey, bool> delete)
    {
        foreach (var server in _redis.GetServers().Where(s => s.IsConnected && !s.IsReplica)) await DeleteAsync(server, pattern, delete);
    }

    private async Task DeleteAsync(IServer server, string pattern, Func<RedisKey, bool> delete)
    {
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000))
            if (delete(key)) keys.Add(key);
        // One key a command: in a cluster a command's keys must share a slot, and these need not.
        await Task.WhenAll(keys.Select(k => _db.KeyDeleteAsync(k)));
    }

    private async Task<RedisResult> CallAsync(string function, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await Scripts.Library.CallAsync(_redis, _db, function, keys, values);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("LOSTWRITES", StringComparison.Ordinal))
        {
            throw new HotStoreLostWritesException(e.Message, found: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOTREADY", StringComparison.Ordinal) || e.Message.StartsWith("FENCED", StringComparison.Ordinal))
        {
            throw new HotStoreLostWritesException(e.Message, found: false);
        }
    }
}
