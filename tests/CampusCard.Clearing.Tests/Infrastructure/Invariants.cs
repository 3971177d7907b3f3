using CampusCard.Clearing.Domain;
using CampusCard.Clearing.HotStore.Internal;
using CampusCard.Clearing.Testing;
using StackExchange.Redis;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// docs/invariants.md's invariants 1–9, read from the journal and from Redis. Call once the outbox is drained.
/// </summary>
public static class Invariants
{
    /// <param name="redis">The hot store's Redis: the one every test shares when null.</param>
    /// <param name="partitions">The service's partitions (of its journal databases: one journal database of several is checked alone); the default count's when null.</param>
    public static async Task AssertHoldAsync(ScratchDatabase db, string prefix, IEnumerable<long>? answeredTransactionIds = null, IDatabase? redis = null,
        Partitioning? partitions = null)
    {
        partitions ??= HotProbe.Partitions;
        // 1. Every transaction's postings sum to zero, and so do each campus's of each (a sale across a card group is split
        // between the campuses' books); the sum of all postings is zero.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT transaction_id FROM postings GROUP BY transaction_id, campus_no HAVING sum(amount_fen) <> 0) unbalanced"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT coalesce(sum(amount_fen), 0)::bigint FROM postings"));

        // 2. For every holder, the Redis balances equal the journal's.
        var keys = new Keys(prefix);
        redis ??= LocalServers.Redis.GetDatabase();
        await using (var cmd = db.DataSource.CreateCommand("""
            SELECT h.person_no,
                   coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 1), 0)::bigint,
                   coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 2), 0)::bigint,
                   coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 3), 0)::bigint,
                   coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 6), 0)::bigint,
                   bool_or(EXISTS (SELECT 1 FROM transactions o WHERE o.holder_id = h.id AND o.kind = 25 AND o.outcome = 1))
                   , h.campus_no
              FROM holders h LEFT JOIN postings p ON p.account_owner = h.id AND p.account_kind IN (1, 2, 3, 6)
             GROUP BY h.id, h.person_no, h.campus_no
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var journal = new Balances(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
                var campus = reader.GetInt16(6);
                var value = (byte[]?)await redis.StringGetAsync(HotProbe.HolderKey(prefix, reader.GetString(0), campus, partitions));
                Assert.True(value is not null, $"holder {reader.GetString(0)} of campus {campus} is missing from the hot state");
                var hot = Domain.Formats.HolderFormat.Read(campus, reader.GetString(0), value);
                Assert.Equal(journal, hot.Balances);
                // 3. No purse or e-wallet is negative, except a purse an offline record overdrew, whose card is then frozen (or closed).
                Assert.True(journal.WalletFen >= 0 && journal.PendingFen >= 0 && journal.HeldFen >= 0, $"negative balance {journal}");
                Assert.True(journal.PurseFen >= 0 || (reader.GetBoolean(5) && hot.CardState is CardState.Frozen or CardState.Closed or CardState.Lost),
                    $"a purse overdrawn without an offline record, or with its card usable: {journal}, {hot.CardState}");
            }
        }

        // 4. The same request id never takes effect twice.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT 1 FROM transactions GROUP BY scope, request_id HAVING count(*) > 1) twice"));

        // 5. An answered request is in the journal, once.
        if (answeredTransactionIds?.Distinct().ToArray() is { Length: > 0 } answered)
        {
            Assert.Equal((long)answered.Length, await db.ScalarAsync<long>(
                $"SELECT count(*) FROM transactions WHERE id IN ({string.Join(',', answered)})"));
        }

        // 6. A reversal takes effect at most once, never for a declined or already reversed original,
        //    and gives back exactly what the original took.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT 1 FROM transactions WHERE kind = 2 AND outcome = 1 AND effect IN (1, 2)
                                  GROUP BY scope, original_request_id HAVING count(*) > 1) twice
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM transactions r
              LEFT JOIN transactions o ON o.scope = r.scope AND o.request_id = r.original_request_id AND o.kind = 1
             WHERE r.kind = 2 AND r.outcome = 1 AND r.effect = 1
               AND (o.id IS NULL OR o.outcome <> 1 OR o.moved_fen <> r.moved_fen OR o.id > r.id)
            """));
    
        // 7. Daily spend never passes the daily limit without a verified PIN: no approved debit above the holder's single
        //    limit, or taking the day's spend (settled holds included, less same-day refunds) above the daily one, went without it. The limits are
        //    those of the holder's newest state before the debit (holder_after, in the holder format: little-endian fields).
        var fields = Domain.Formats.HolderFormat.Layout.Fields.ToList();
        var (single, daily) = (1 + 8 * fields.IndexOf("single_limit"), 1 + 8 * fields.IndexOf("daily_limit"));
        Assert.Equal(0L, await db.ScalarAsync<long>($$"""
            WITH moves AS (
                SELECT t.id, t.holder_id, t.business_day, t.kind, t.pin, t.moved_fen,
                       CASE WHEN t.kind IN (1, 27) THEN t.moved_fen WHEN o.business_day = t.business_day THEN -t.moved_fen ELSE 0 END AS spend
                  FROM transactions t
                  LEFT JOIN transactions o ON t.kind = 2 AND t.effect = 1 AND o.kind = 1 AND o.scope = t.scope AND o.request_id = t.original_request_id
                 WHERE t.outcome = 1 AND t.kind IN (1, 2, 27)),
            running AS (SELECT *, sum(spend) OVER (PARTITION BY holder_id, business_day ORDER BY id) AS day_spent FROM moves)
            SELECT count(*) FROM running r
             CROSS JOIN LATERAL (
                SELECT (SELECT sum(get_byte(s.holder_after, {{single}} + i)::bigint << (8 * i)) FROM generate_series(0, 7) i) AS single,
                       (SELECT sum(get_byte(s.holder_after, {{daily}} + i)::bigint << (8 * i)) FROM generate_series(0, 7) i) AS daily
                  FROM transactions s
                 WHERE s.holder_id = r.holder_id AND s.holder_after IS NOT NULL AND s.id < r.id
                 ORDER BY s.id DESC LIMIT 1) limits
             WHERE r.kind = 1 AND r.pin <> 1
               AND ((limits.single > 0 AND r.moved_fen > limits.single) OR (limits.daily > 0 AND r.day_spent > limits.daily))
            """));

        // 8. A hold is settled or released at most once, a settle takes at most what was held, and the holds account
        //    holds exactly the open holds: available balance (the purse) never counts a hold twice.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT 1 FROM transactions WHERE kind IN (27, 28) AND outcome = 1
                                  GROUP BY scope, original_request_id HAVING count(*) > 1) twice
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM transactions c
              LEFT JOIN transactions h ON h.scope = c.scope AND h.request_id = c.original_request_id AND h.kind = 26 AND h.outcome = 1
             WHERE c.kind IN (27, 28) AND c.outcome = 1 AND (h.id IS NULL OR c.moved_fen + c.side_fen <> h.moved_fen)
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT h.holder_id, sum(h.moved_fen) AS open_fen FROM transactions h
                 WHERE h.kind = 26 AND h.outcome = 1 AND NOT EXISTS (
                       SELECT 1 FROM transactions c WHERE c.kind IN (27, 28) AND c.outcome = 1 AND c.scope = h.scope AND c.original_request_id = h.request_id)
                 GROUP BY h.holder_id) o
              FULL JOIN (SELECT account_owner AS holder_id, sum(amount_fen) AS held FROM postings WHERE account_kind = 6 GROUP BY account_owner) a
                ON a.holder_id = o.holder_id
             WHERE coalesce(o.open_fen, 0) <> coalesce(a.held, 0)
            """));

        // After 报退 (art. 15) the person's purse, e-wallet, pending balance and holds stay 0 whatever comes: nothing decided
        // after the close names them; what reaches the person is refunds payable's.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM transactions c
              JOIN postings p ON p.account_owner = c.holder_id AND p.account_kind IN (1, 2, 3, 6) AND p.transaction_id > c.id
             WHERE c.kind = 13 AND c.outcome = 1
            """));

        // 9. Every card-state change is in the journal, and the hot card state equals the journal's newest.
        await using (var states = db.DataSource.CreateCommand("""
            SELECT DISTINCT ON (t.holder_id) h.person_no, t.holder_after, h.campus_no
              FROM transactions t JOIN holders h ON h.id = t.holder_id
             WHERE t.holder_after IS NOT NULL ORDER BY t.holder_id, t.id DESC
            """))
        await using (var reader = await states.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var (personNo, campus) = (reader.GetString(0), reader.GetInt16(2));
                var journal = Domain.Formats.HolderFormat.Read(campus, personNo, reader.GetFieldValue<byte[]>(1));
                var hot = Domain.Formats.HolderFormat.Read(campus, personNo, (byte[])(await redis.StringGetAsync(HotProbe.HolderKey(prefix, personNo, campus, partitions)))!);
                Assert.Equal(CardStateOf(journal), CardStateOf(hot));
            }
        }
    }

    /// <summary>A holder's state but for balances and the day's spend, which invariant 2 covers.</summary>
    private static HolderHotState CardStateOf(HolderHotState h) => h with { Balances = default, SpendDay = 0, DaySpentFen = 0 };
}
