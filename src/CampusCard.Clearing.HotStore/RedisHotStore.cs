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

    public RedisHotStore(ConnectionMultiplexer redis, IOptions<HotStoreOptions> options)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _keys = new Keys(options.Value.KeyPrefix);
        IdempotencyWindow = options.Value.IdempotencyWindow;
        _ttlSeconds = ((long)IdempotencyWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        _autoTopUpLifetimeMs = (long)options.Value.AutoTopUpLifetime.TotalMilliseconds;
    }

    /// <inheritdoc />
    public long HighWater { get; set; }

    public TimeSpan IdempotencyWindow { get; }

    public async Task CheckConfigurationAsync()
    {
        // INFO, not CONFIG: a managed Redis may rename CONFIG away. The client counts INFO as an admin command, so the
        // check has a short-lived connection of its own and the service's connection stays without admin rights.
        var admin = ConfigurationOptions.Parse(_redis.Configuration);
        admin.AllowAdmin = true;
        admin.AbortOnConnectFail = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(admin);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var policy = (await server.InfoAsync("memory")).SelectMany(g => g).FirstOrDefault(p => p.Key == "maxmemory_policy").Value;
        if (policy != "noeviction")
            throw new UnsafeHotStoreException(
                $"Redis at {server.EndPoint} has maxmemory-policy '{policy}': it may evict keys, and an evicted idempotency record would let money move twice. Set maxmemory-policy noeviction (scripts/services.sh does).");
    }

    public async Task<DecidedBatch> DecideAsync(IReadOnlyList<HotRequest> requests, DateTimeOffset now, int businessDay,
        IReadOnlyList<string> acknowledged, IReadOnlyList<JournalEntry> journaled)
    {
        var keys = new RedisKey[2 + 3 * requests.Count];
        keys[0] = _keys.Sequence;
        keys[1] = _keys.Outbox;
        var keyIndex = new Dictionary<(string, string), int>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (r, target) = requests[i];
            var tag = Keys.Tag(target);
            var record = _keys.Record(tag, r.Scope, r.RequestId);
            keys[2 + 3 * i] = _keys.Holder(tag);
            keys[3 + 3 * i] = record;
            var actsOnOriginal = r.Descriptor.ActsOnOriginal;
            keys[4 + 3 * i] = actsOnOriginal ? _keys.Record(tag, r.Scope, r.OriginalRequestId) : record;
            // Lua counts keys from 1.
            keyIndex.TryAdd((r.Scope, r.RequestId), 4 + 3 * i);
            if (actsOnOriginal) keyIndex.TryAdd((r.Scope, r.OriginalRequestId), 5 + 3 * i);
        }
        var hints = new List<(int Key, byte[] Record)>();
        foreach (var (scope, requestId, record, _) in RecordRebuilder.Rebuild(journaled))
            if (keyIndex.TryGetValue((scope, requestId), out var key)) hints.Add((key, record));

        var values = new RedisValue[7 + acknowledged.Count + 2 * hints.Count + 2 * requests.Count];
        var v = 0;
        values[v++] = now.ToUnixTimeMilliseconds();
        values[v++] = businessDay;
        values[v++] = _ttlSeconds;
        values[v++] = HighWater;
        values[v++] = _autoTopUpLifetimeMs;
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
                (byte)'N' => new HotResult(HotOutcome.New, Records.Read(item.AsSpan(1), requests[i].Target.PersonNo)),
                (byte)'R' => new HotResult(HotOutcome.Replay, Records.Read(item.AsSpan(1))),
                _ => new HotResult(HotOutcome.Conflict, null),
            };
            if (results[i].Decision is { } d && d.TransactionId > HighWater) HighWater = d.TransactionId;
        }
        var outboxId = (string?)items[0];
        return new DecidedBatch(string.IsNullOrEmpty(outboxId) ? null : outboxId, results);
    }

    public async Task<IReadOnlyDictionary<string, CardRef>> ResolveCardsAsync(IReadOnlyCollection<string> cardNos)
    {
        var found = new Dictionary<string, CardRef>(StringComparer.Ordinal);
        if (cardNos.Count == 0) return found;
        var numbers = cardNos.ToArray();
        var values = await _db.StringGetAsync(numbers.Select(c => (RedisKey)_keys.Card(c)).ToArray());
        for (var i = 0; i < numbers.Length; i++)
            if (values[i].HasValue) found[numbers[i]] = new CardRef(values[i]!);
        return found;
    }

    public async Task<HolderHotState?> ReadHolderAsync(string personNo, bool known)
    {
        var result = await CallAsync(Scripts.Read, [_keys.Sequence, _keys.HolderOf(personNo)], [HighWater, known ? 1 : 0]);
        var value = (byte[]?)result;
        return value is null ? null : HolderFormat.Read(personNo, value);
    }

    public Task AcknowledgeAsync(IReadOnlyList<string> outboxIds)
    {
        if (outboxIds.Count == 0) return Task.CompletedTask;
        return _db.StreamDeleteAsync(_keys.Outbox, outboxIds.Select(id => (RedisValue)id).ToArray());
    }

    public async Task<IReadOnlyList<OutboxBatch>> ReadOutboxAsync(int maxBatches, TimeSpan minAge)
    {
        // Stream ids begin with the Redis server's unix milliseconds, so age is measured on its clock.
        var end = "+";
        if (minAge > TimeSpan.Zero)
        {
            var time = (RedisResult[])(await _db.ExecuteAsync("TIME"))!;
            end = ((long)time[0] * 1000 - (long)minAge.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }
        var result = (RedisResult[])(await _db.ExecuteAsync("XRANGE", _keys.Outbox, "-", end, "COUNT", maxBatches))!;
        var batches = new List<OutboxBatch>(result.Length);
        foreach (var item in result)
        {
            var entry = (RedisResult[])item!;
            var fields = (RedisResult[])entry[1]!;
            var entries = new List<JournalEntry>(fields.Length / 2);
            for (var i = 0; i < fields.Length; i += 2) entries.Add(ReadOutboxEntry((byte[])fields[i]!, (byte[])fields[i + 1]!));
            batches.Add(new OutboxBatch((string)entry[0]!, entries));
        }
        return batches;
    }

    /// <summary>An entry's payload and record, in this format or the previous release's.</summary>
    private static JournalEntry ReadOutboxEntry(byte[] payload, byte[] record)
    {
        var request = Payloads.Read(payload);
        return new JournalEntry(request, Records.Read(record, request.PersonNo));
    }

    public async Task<IReadOnlyList<(string OutboxId, long FirstTransactionId)>> OutboxHeadAsync(int maxBatches)
    {
        var result = (RedisResult[])(await _db.ExecuteAsync("XRANGE", _keys.Outbox, "-", "+", "COUNT", maxBatches))!;
        var head = new List<(string, long)>(result.Length);
        foreach (var item in result)
        {
            var entry = (RedisResult[])item!;
            var fields = (RedisResult[])entry[1]!;
            head.Add(((string)entry[0]!, Records.Read((byte[])fields[1]!).TransactionId));
        }
        return head;
    }

    public async Task<long?> GetSequenceAsync()
    {
        var value = await _db.StringGetAsync(_keys.Sequence);
        return value.IsNull ? null : (long)value;
    }

    public Task AddCardAsync(IssuedCard card) => _db.StringSetAsync(_keys.Card(card.CardNo), card.PersonNo);

    public async Task RestoreAsync(HotSnapshot snapshot)
    {
        // Without its sequence the store refuses every decide and read at once, until the rebuild completes.
        await _db.KeyDeleteAsync(_keys.Sequence);
        await DeleteAllAsync();
        var rebuild = Guid.NewGuid().ToString("N");
        await _db.StringSetAsync(_keys.Rebuilding, rebuild);
        var writes = new List<Task>(snapshot.Holders.Count + snapshot.Cards.Count + snapshot.RecentEntries.Count);
        foreach (var h in snapshot.Holders) writes.Add(_db.StringSetAsync(_keys.HolderOf(h.PersonNo), HolderFormat.Write(h)));
        foreach (var (cardNo, card) in snapshot.Cards) writes.Add(_db.StringSetAsync(_keys.Card(cardNo), card.PersonNo));
        foreach (var (scope, requestId, record, decidedAtMs) in RecordRebuilder.Rebuild(snapshot.RecentEntries))
        {
            var ttl = DateTimeOffset.FromUnixTimeMilliseconds(decidedAtMs) + IdempotencyWindow - snapshot.Now;
            if (ttl > TimeSpan.Zero) writes.Add(_db.StringSetAsync(_keys.Record(TagOf(scope, snapshot.Cards), scope, requestId), record, ttl));
        }
        await Task.WhenAll(writes);
        var completed = (long)(await CallAsync(Scripts.Complete, [_keys.Rebuilding, _keys.Sequence], [rebuild, snapshot.Sequence]))!;
        if (completed != 1) throw new HotStoreLostWritesException("the hot state was changed or flushed while it was rebuilt; rebuilding again");
        HighWater = snapshot.Sequence;
    }

    /// <summary>Where a scope's records live: under the holder of its card or person, or under the card nobody holds.</summary>
    private static string TagOf(string scope, IReadOnlyDictionary<string, CardRef> cards) =>
        scope.StartsWith("c:", StringComparison.Ordinal) && cards.TryGetValue(scope[2..], out var card) ? "p:" + card.PersonNo : scope;

    /// <summary>Everything under the prefix but the outbox, whose entries are journaled before a rebuild and never dropped.</summary>
    private async Task DeleteAllAsync()
    {
        var cursor = "0";
        do
        {
            var page = (RedisResult[])(await _db.ExecuteAsync("SCAN", cursor, "MATCH", _keys.Prefix + "*", "COUNT", 1000))!;
            cursor = (string)page[0]!;
            var keys = ((RedisKey[])page[1]!).Where(k => k != _keys.Outbox).ToArray();
            if (keys.Length > 0) await _db.KeyDeleteAsync(keys);
        }
        while (cursor != "0");
    }

    private async Task<RedisResult> CallAsync(string function, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await Scripts.Library.CallAsync(_db, function, keys, values);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("LOSTWRITES", StringComparison.Ordinal) || e.Message.StartsWith("NOTREADY", StringComparison.Ordinal))
        {
            throw new HotStoreLostWritesException(e.Message);
        }
    }
}
