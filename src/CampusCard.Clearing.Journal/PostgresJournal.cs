using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal.Internal;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CampusCard.Clearing.Journal;

/// <summary>
/// The journal on PostgreSQL. A batch goes in as one INSERT, one row per transaction with the two legs its postings
/// are derived from; when some of it is already stored (a replay after a lost answer from the database, or
/// recovery from the outbox) it goes through a staging table and only the missing rows are inserted.
/// </summary>
public sealed class PostgresJournal(NpgsqlDataSource dataSource, ILogger<PostgresJournal> logger) : IJournal
{
    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0) return;
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var insert = TransactionRows.Insert(conn, "transactions", entries);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            Log.ReplayingBatch(logger, entries.Count);
            await AppendIdempotentlyAsync(conn, entries, cancellationToken);
        }
    }

    /// <summary>
    /// Stores what is missing. A row already stored under the same id must be the same decision; a row under a
    /// (scope, request id) the journal holds with another id is a second transaction for one request: refused.
    /// </summary>
    private static async Task AppendIdempotentlyAsync(NpgsqlConnection conn, IReadOnlyList<JournalEntry> entries, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await Execute(conn, "CREATE TEMP TABLE IF NOT EXISTS staged_transactions (LIKE transactions) ON COMMIT DELETE ROWS", ct);
        await using (var staging = TransactionRows.Insert(conn, "staged_transactions", entries))
            await staging.ExecuteNonQueryAsync(ct);
        await using (var check = new NpgsqlCommand("""
            SELECT s.id FROM staged_transactions s JOIN transactions t ON t.id = s.id
             WHERE (t.scope, t.request_id, t.outcome, t.moved_fen) IS DISTINCT FROM (s.scope, s.request_id, s.outcome, s.moved_fen)
            UNION ALL
            SELECT s.id FROM staged_transactions s JOIN transactions t ON t.scope = s.scope AND t.request_id = s.request_id
             WHERE t.id <> s.id
             LIMIT 1
            """, conn))
        {
            if (await check.ExecuteScalarAsync(ct) is long id)
                throw new JournalConflictException(id);
        }
        await Execute(conn, $"""
            INSERT INTO transactions ({TransactionRows.Columns})
            SELECT {TransactionRows.Columns} FROM staged_transactions ORDER BY id
            ON CONFLICT (id) DO NOTHING
            """, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT coalesce(max(id), 0) FROM transactions");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM transactions WHERE id = @id)");
        cmd.Parameters.AddWithValue("id", transactionId);
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<JournalEntry>> FindAsync(IReadOnlyCollection<(string Scope, string RequestId)> keys, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {TransactionRows.Columns} FROM journal_find($1, $2)");
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = keys.Select(k => k.Scope).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = keys.Select(k => k.RequestId).ToArray() });
        var found = new Dictionary<long, JournalEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = TransactionRows.Read(reader);
            found.TryAdd(entry.Decision.TransactionId, entry);
        }
        return [.. found.Values.OrderBy(e => e.Decision.TransactionId)];
    }

    public async IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(
        DateTimeOffset from, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT scope, request_id, CASE WHEN kind = $3 THEN original_request_id END FROM transactions WHERE decided_at >= $1 AND decided_at < $2");
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)TransactionKind.Reversal });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var scope = reader.GetString(0);
            yield return (scope, reader.GetString(1));
            if (!reader.IsDBNull(2)) yield return (scope, reader.GetString(2));
        }
    }

    public async Task<long> CountRequestKeysAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*) + count(*) FILTER (WHERE kind = $2) FROM transactions WHERE decided_at < $1");
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)TransactionKind.Reversal });
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<HotSnapshot> SnapshotAsync(DateTimeOffset now, int businessDay, TimeSpan idempotencyWindow, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        // One repeatable-read snapshot so balances, day spend and records agree with each other.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long sequence;
        await using (var cmd = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM transactions", conn))
            sequence = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        var holders = await ReadHoldersAsync(conn, businessDay, cancellationToken);
        var recent = new List<JournalEntry>();
        await using (var cmd = new NpgsqlCommand($"SELECT {TransactionRows.Columns} FROM transactions WHERE decided_at >= @since ORDER BY id", conn))
        {
            cmd.Parameters.AddWithValue("since", (now - idempotencyWindow).ToUniversalTime());
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) recent.Add(TransactionRows.Read(reader));
        }
        await tx.CommitAsync(cancellationToken);
        return new HotSnapshot(sequence, holders, CardsOf(holders), recent, now);
    }

    /// <summary>Every card a holder was issued names them; the live one is their current issue.</summary>
    private static Dictionary<string, CardRef> CardsOf(IEnumerable<HolderHotState> holders)
    {
        var cards = new Dictionary<string, CardRef>(StringComparer.Ordinal);
        foreach (var h in holders)
            for (var issue = 0; issue <= h.CardSeq; issue++) cards[new CardNumber(h.HolderId, issue).ToString()] = new CardRef(h.PersonNo, issue);
        return cards;
    }

    private static async Task<List<HolderHotState>> ReadHoldersAsync(NpgsqlConnection conn, int businessDay, CancellationToken ct)
    {
        // Day spend: today's approved debits, less the refunds of today's debits.
        await using var cmd = new NpgsqlCommand("""
            WITH balances AS (
                SELECT account_owner AS holder,
                       sum(amount_fen) FILTER (WHERE account_kind = 1) AS purse,
                       sum(amount_fen) FILTER (WHERE account_kind = 2) AS wallet,
                       sum(amount_fen) FILTER (WHERE account_kind = 3) AS pending
                  FROM postings WHERE account_kind IN (1, 2, 3) GROUP BY account_owner),
            today AS (
                SELECT t.holder_id AS holder,
                       sum(CASE WHEN t.kind = 1 THEN t.moved_fen ELSE -t.moved_fen END) AS spent
                  FROM transactions t
                 WHERE t.business_day = @day AND t.outcome = 1
                   AND (t.kind = 1 OR (t.kind = 2 AND t.effect = 1 AND EXISTS (
                        SELECT 1 FROM transactions o
                         WHERE o.scope = t.scope AND o.request_id = t.original_request_id
                           AND o.kind = 1 AND o.outcome = 1 AND o.business_day = @day)))
                 GROUP BY t.holder_id)
            SELECT h.id, h.person_no, h.card_issue, h.card_state,
                   coalesce(b.purse, 0), coalesce(b.wallet, 0), coalesce(b.pending, 0), coalesce(d.spent, 0)
              FROM holders h LEFT JOIN balances b ON b.holder = h.id LEFT JOIN today d ON d.holder = h.id
             ORDER BY h.id
            """, conn);
        cmd.Parameters.AddWithValue("day", businessDay);
        var holders = new List<HolderHotState>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            holders.Add(new HolderHotState(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt16(2), (CardState)reader.GetInt16(3),
                new Balances(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)),
                businessDay, reader.GetInt64(7)));
        }
        return holders;
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
