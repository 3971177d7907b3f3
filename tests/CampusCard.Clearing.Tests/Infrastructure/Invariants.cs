using CampusCard.Clearing.Domain;
using CampusCard.Clearing.HotStore.Internal;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// DESIGN.md's invariants 1–6 and 9, read from the journal and from Redis. Call once the outbox is drained.
/// </summary>
public static class Invariants
{
    public static async Task AssertHoldAsync(ScratchDatabase db, string prefix, IEnumerable<long>? answeredTransactionIds = null)
    {
        // 1. Every transaction's postings sum to zero; the sum of all postings is zero.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT transaction_id FROM postings GROUP BY transaction_id HAVING sum(amount_fen) <> 0) unbalanced"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT coalesce(sum(amount_fen), 0)::bigint FROM postings"));

        // 2. For every holder, the Redis balances equal the journal's.
        var keys = new Keys(prefix);
        var redis = LocalServers.Redis.GetDatabase();
        await using (var cmd = db.DataSource.CreateCommand("""
            SELECT h.person_no,
                   coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 1), 0)::bigint,
                   coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 2), 0)::bigint,
                   coalesce(sum(p.amount_fen) FILTER (WHERE p.account_kind = 3), 0)::bigint
              FROM holders h LEFT JOIN postings p ON p.account_owner = h.id AND p.account_kind IN (1, 2, 3)
             GROUP BY h.person_no
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var journal = new Balances(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                var value = (byte[]?)await redis.StringGetAsync(keys.HolderOf(reader.GetString(0)));
                Assert.True(value is not null, $"holder {reader.GetString(0)} is missing from the hot state");
                Assert.Equal(journal, Domain.Formats.HolderFormat.Read(reader.GetString(0), value).Balances);
                // 3. No purse or e-wallet is negative (no offline advice exists yet to overdraw one).
                Assert.True(journal.PurseFen >= 0 && journal.WalletFen >= 0 && journal.PendingFen >= 0, $"negative balance {journal}");
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
    
        // 9. Every card-state change is in the journal, and the hot card state equals the journal's newest.
        await using (var states = db.DataSource.CreateCommand("""
            SELECT DISTINCT ON (t.holder_id) h.person_no, t.holder_after
              FROM transactions t JOIN holders h ON h.id = t.holder_id
             WHERE t.holder_after IS NOT NULL ORDER BY t.holder_id, t.id DESC
            """))
        await using (var reader = await states.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var personNo = reader.GetString(0);
                var journal = Domain.Formats.HolderFormat.Read(personNo, reader.GetFieldValue<byte[]>(1));
                var hot = Domain.Formats.HolderFormat.Read(personNo, (byte[])(await redis.StringGetAsync(keys.HolderOf(personNo)))!);
                Assert.Equal(CardStateOf(journal), CardStateOf(hot));
            }
        }
    }

    /// <summary>A holder's state but for balances and the day's spend, which invariant 2 covers.</summary>
    private static HolderHotState CardStateOf(HolderHotState h) => h with { Balances = default, SpendDay = 0, DaySpentFen = 0 };
}
