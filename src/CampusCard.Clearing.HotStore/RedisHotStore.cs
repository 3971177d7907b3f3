using System.Globalization;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.HotStore.Internal;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.HotStore;

/// <summary>
/// The hot store on Redis. One shared multiplexer, async calls only; each batch is one EVALSHA of
/// decide.lua, which also appends the decided batch to the outbox stream and removes the entries the
/// caller reports journaled.
/// </summary>
public sealed class RedisHotStore : IHotStore
{
    private const int ValuesPerRequest = 7;
    private static readonly string DecideScript = LoadScript("decide.lua");

    private readonly IDatabase _db;
    private readonly Keys _keys;
    private readonly string _ttlSeconds;

    public RedisHotStore(ConnectionMultiplexer redis, IOptions<HotStoreOptions> options)
    {
        _db = redis.GetDatabase();
        _keys = new Keys(options.Value.KeyPrefix);
        IdempotencyWindow = options.Value.IdempotencyWindow;
        _ttlSeconds = ((long)IdempotencyWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public long HighWater { get; set; }

    public TimeSpan IdempotencyWindow { get; }

    public async Task<DecidedBatch> DecideAsync(IReadOnlyList<ClearingRequest> requests, DateTimeOffset now, int businessDay, IReadOnlyList<string> acknowledged)
    {
        var keys = new RedisKey[2 + 3 * requests.Count];
        var values = new RedisValue[5 + acknowledged.Count + ValuesPerRequest * requests.Count];
        keys[0] = _keys.Sequence;
        keys[1] = _keys.Outbox;
        values[0] = now.ToUnixTimeMilliseconds();
        values[1] = businessDay;
        values[2] = _ttlSeconds;
        values[3] = HighWater;
        values[4] = acknowledged.Count;
        var v = 5;
        foreach (var id in acknowledged) values[v++] = id;
        var k = 2;
        foreach (var r in requests)
        {
            var record = _keys.Record(r.HolderId, r.RequestId);
            keys[k++] = _keys.Holder(r.HolderId);
            keys[k++] = record;
            keys[k++] = r.Kind == TransactionKind.Reversal ? _keys.Record(r.HolderId, r.OriginalRequestId) : record;
            values[v++] = (int)r.Kind;
            values[v++] = r.Fingerprint;
            values[v++] = r.AmountFen;
            values[v++] = (int)r.PreDecline;
            values[v++] = r.Kind == TransactionKind.Transfer ? (int)r.Direction : r.CardIssue;
            values[v++] = r.MerchantNo;
            values[v++] = RequestPayload.Format(r);
        }

        RedisResult result;
        try
        {
            result = await _db.ScriptEvaluateAsync(DecideScript, keys, values);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("LOSTWRITES", StringComparison.Ordinal))
        {
            throw new HotStoreLostWritesException(e.Message);
        }

        var items = (RedisResult[])result!;
        var results = new HotResult[requests.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var text = (string)items[i + 1]!;
            results[i] = text[0] switch
            {
                'N' => new HotResult(HotOutcome.New, HotRecord.Parse(text.AsSpan(2))),
                'R' => new HotResult(HotOutcome.Replay, HotRecord.Parse(text.AsSpan(2))),
                _ => new HotResult(HotOutcome.Conflict, null),
            };
            if (results[i].Decision is { } d && d.TransactionId > HighWater) HighWater = d.TransactionId;
        }
        var outboxId = (string?)items[0];
        return new DecidedBatch(string.IsNullOrEmpty(outboxId) ? null : outboxId, results);
    }

    public Task AcknowledgeAsync(IReadOnlyList<string> outboxIds)
    {
        if (outboxIds.Count == 0) return Task.CompletedTask;
        var args = new object[outboxIds.Count + 1];
        args[0] = _keys.Outbox;
        for (var i = 0; i < outboxIds.Count; i++) args[i + 1] = outboxIds[i];
        return _db.ExecuteAsync("XDEL", args);
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
            for (var i = 0; i < fields.Length; i += 2)
                entries.Add(new JournalEntry(RequestPayload.Parse((string)fields[i]!), HotRecord.Parse((string)fields[i + 1]!)));
            batches.Add(new OutboxBatch((string)entry[0]!, entries));
        }
        return batches;
    }

    public async Task<long?> GetSequenceAsync()
    {
        var value = await _db.StringGetAsync(_keys.Sequence);
        return value.IsNull ? null : (long)value;
    }

    public async Task<HolderHotState?> GetHolderAsync(long holderId)
    {
        var value = (byte[]?)await _db.StringGetAsync(_keys.Holder(holderId));
        return value is null ? null : HolderValue.Unpack(holderId, value);
    }

    public Task AddHolderAsync(Holder holder) =>
        _db.StringSetAsync(_keys.Holder(holder.Id),
            HolderValue.Pack(new HolderHotState(holder.Id, holder.CardIssue, holder.CardState, default, 0, 0)), when: When.NotExists);

    public async Task RestoreAsync(HotSnapshot snapshot)
    {
        await DeleteAllAsync();
        var writes = new List<Task>(snapshot.Holders.Count + snapshot.RecentEntries.Count);
        foreach (var h in snapshot.Holders) writes.Add(_db.StringSetAsync(_keys.Holder(h.HolderId), HolderValue.Pack(h)));
        foreach (var (key, record, decidedAtMs) in RecordRebuilder.Rebuild(snapshot.RecentEntries, _keys))
        {
            var ttl = DateTimeOffset.FromUnixTimeMilliseconds(decidedAtMs) + IdempotencyWindow - snapshot.Now;
            if (ttl > TimeSpan.Zero) writes.Add(_db.StringSetAsync(key, record, ttl));
        }
        await Task.WhenAll(writes);
        // Last, so a half-done restore still looks empty and is redone.
        await _db.StringSetAsync(_keys.Sequence, snapshot.Sequence);
        HighWater = snapshot.Sequence;
    }

    private async Task DeleteAllAsync()
    {
        var cursor = "0";
        do
        {
            var page = (RedisResult[])(await _db.ExecuteAsync("SCAN", cursor, "MATCH", _keys.Prefix + "*", "COUNT", 1000))!;
            cursor = (string)page[0]!;
            var keys = (RedisKey[])page[1]!;
            if (keys.Length > 0) await _db.KeyDeleteAsync(keys);
        }
        while (cursor != "0");
    }

    private static string LoadScript(string name)
    {
        using var stream = typeof(RedisHotStore).Assembly.GetManifestResourceStream("lua/" + name)
            ?? throw new InvalidOperationException($"embedded script {name} is missing");
        return new StreamReader(stream).ReadToEnd();
    }
}
