using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
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
    private static readonly short[] KindsActingOnOriginals = [.. Kinds.All.Where(k => k.ActsOnOriginal).Select(k => (short)k.Kind)];

    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0) return;
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await TransactionRows.CopyAsync(conn, "transactions", entries, cancellationToken);
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
        await TransactionRows.CopyAsync(conn, "staged_transactions", entries, ct);
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
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await TransactionRow.ReadEachOnceAsync(reader, cancellationToken);
    }

    public async IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(
        DateTimeOffset from, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT scope, request_id, CASE WHEN kind = ANY($3) THEN original_request_id END FROM transactions WHERE decided_at >= $1 AND decided_at < $2");
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = KindsActingOnOriginals });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await foreach (var key in TransactionRow.ReadRequestKeysAsync(reader, cancellationToken)) yield return key;
    }

    public async Task<long> CountRequestKeysAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*) + count(*) FILTER (WHERE kind = ANY($2)) FROM transactions WHERE decided_at < $1");
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = KindsActingOnOriginals });
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<CardStateRow>> ReadCardStatesAsync(
        long afterTransactionId, long throughTransactionId, bool newestOnly, int maxChanges, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH changes AS (
                SELECT t.id, t.holder_id, t.holder_after FROM transactions t
                 WHERE t.holder_after IS NOT NULL AND t.id > $1 AND t.id <= $2
                   AND (NOT $3 OR t.id = (SELECT max(s.id) FROM transactions s
                                           WHERE s.holder_after IS NOT NULL AND s.holder_id = t.holder_id AND s.id <= $2))
                 ORDER BY t.id LIMIT $4)
            SELECT c.id, (row_number() OVER (PARTITION BY c.id ORDER BY k.issued_at, k.card_no) - 1)::integer, k.card_no, h.person_no, c.holder_after, h.campus_no
              FROM changes c JOIN cards k ON k.holder_id = c.holder_id JOIN holders h ON h.id = c.holder_id
             ORDER BY 1, 2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterTransactionId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = throughTransactionId });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = newestOnly });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxChanges });
        var rows = new List<CardStateRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new CardStateRow(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), HolderFormat.Read(reader.GetInt16(5), reader.GetString(3), reader.GetFieldValue<byte[]>(4))));
        return rows;
    }

    public async Task<HotSnapshot> SnapshotAsync(Partitioning partitioning, int partition, DateTimeOffset now, BusinessDays businessDays, TimeSpan idempotencyWindow,
        CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        // One repeatable-read snapshot so balances, day spend and records agree with each other.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long newest;
        await using (var cmd = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM transactions", conn))
            newest = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        var slots = partitioning.SlotsOf(partition).Select(s => (short)s).ToArray();
        var holders = await ReadPartitionHoldersAsync(conn, slots, businessDays, cancellationToken);
        var recent = new List<JournalEntry>();
        // A record belongs where the engine looks for it now: under its holder (a card issued since names one), else under
        // its scope (a card nobody holds, an unknown person, a merchant). The partition's holders' records are read by
        // holder and time (transactions_holder_time), as are nobody's (holder 0), which are few. The ORDER BY keeps the
        // per-holder read a subquery of its own: joined flat, the planner reads the whole window of every partition by
        // time and keeps the partition's (docs/performance.md, "Rebuilding one partition").
        await using (var cmd = new NpgsqlCommand($"""
            SELECT r.* FROM holders h
             CROSS JOIN LATERAL (SELECT {TransactionRows.Columns} FROM transactions
                                  WHERE holder_id = h.id AND decided_at >= @since ORDER BY decided_at) r
             WHERE h.partition_slot = ANY(@slots)
            UNION ALL
            SELECT {TransactionRows.Columns} FROM transactions t
             WHERE t.holder_id = 0 AND t.decided_at >= @since
               AND coalesce((SELECT ch.partition_slot FROM cards c JOIN holders ch ON ch.id = c.holder_id
                              WHERE (t.scope LIKE 'c:%' OR t.scope LIKE '%/c:%') AND c.campus_no = t.campus_no AND c.card_no = scope_number(t.scope)),
                            partition_hash(t.scope) % {Partitioning.Slots}) = ANY(@slots)
             ORDER BY id
            """, conn))
        {
            cmd.Parameters.AddWithValue("since", (now - idempotencyWindow).ToUniversalTime());
            cmd.Parameters.AddWithValue("slots", slots);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) recent.Add(TransactionRow.Read(reader));
        }
        var cards = await ReadCardsAsync(conn, slots, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new HotSnapshot(TransactionIds.SequenceOf(newest), holders, cards, recent, now);
    }

    public async Task<bool> HoldsAfterAsync(int partition, long afterId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM transactions WHERE id > $1 AND id % {TransactionIds.PartitionSlots} = $2)");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<HolderHotState>> HolderStatesAsync(BusinessDays businessDays, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadHoldersAsync(conn, businessDays, cancellationToken);
    }

    public async Task<IReadOnlyList<BankTopUp>> BankTopUpsAsync(short campus, int businessDay, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT t.request_id, h.person_no, t.moved_fen, t.id FROM transactions t JOIN holders h ON h.id = t.holder_id
             WHERE t.kind IN (3, 21) AND t.outcome = 1 AND t.business_day = $1 AND t.campus_no = $2 ORDER BY t.id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = businessDay });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = campus });
        var topUps = new List<BankTopUp>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) topUps.Add(new BankTopUp(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)));
        return topUps;
    }

    /// <summary>
    /// Every card number issued to the partition's holders (<paramref name="slots"/>), within its campus, names its holder;
    /// which is live is the holder's hot state.
    /// </summary>
    private static async Task<Dictionary<string, CardRef>> ReadCardsAsync(NpgsqlConnection conn, short[] slots, CancellationToken ct)
    {
        var cards = new Dictionary<string, CardRef>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(
            "SELECT c.card_no, h.person_no, c.campus_no FROM holders h JOIN cards c ON c.holder_id = h.id WHERE h.partition_slot = ANY(@slots)", conn);
        cmd.Parameters.AddWithValue("slots", slots);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) cards[Campuses.Qualify(reader.GetInt16(2), reader.GetString(0))] = new CardRef(reader.GetString(1));
        return cards;
    }

    /// <summary>
    /// The partition's holders (<paramref name="slots"/>), each with its newest state (holder_after), the balances after its
    /// newest transaction (the index transactions_holder finds it: nothing of the holder's history is summed) and the day's
    /// spend from its rows since the day began (transactions_holder_time). A holder the registry opened whose first card was
    /// never decided has none and is left out; one opened before lifecycle decisions (legacy_card) has its one card live
    /// and active, without limits.
    /// </summary>
    private static async Task<List<HolderHotState>> ReadPartitionHoldersAsync(NpgsqlConnection conn, short[] slots, BusinessDays businessDays, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT h.id, h.person_no, h.card_type, h.legacy_card, s.holder_after,
                   coalesce(n.purse_after_fen, 0), coalesce(n.wallet_after_fen, 0), coalesce(n.pending_after_fen, 0), coalesce(d.spent, 0), coalesce(n.held_after_fen, 0),
                   h.campus_no, hd.day
              FROM holders h
             CROSS JOIN LATERAL ({HolderDay}) hd
              LEFT JOIN LATERAL (SELECT holder_after FROM transactions WHERE holder_id = h.id AND holder_after IS NOT NULL ORDER BY id DESC LIMIT 1) s ON true
              LEFT JOIN LATERAL (SELECT purse_after_fen, wallet_after_fen, pending_after_fen, held_after_fen FROM transactions
                                  WHERE holder_id = h.id ORDER BY id DESC LIMIT 1) n ON true
              LEFT JOIN LATERAL (SELECT {Spent} AS spent FROM transactions t
                                  WHERE t.holder_id = h.id AND t.decided_at >= @day_began AND {CountsAsSpent("hd.day")}) d ON true
             WHERE h.partition_slot = ANY(@slots) AND (s.holder_after IS NOT NULL OR h.legacy_card IS NOT NULL)
             ORDER BY h.id
            """, conn);
        cmd.Parameters.AddWithValue("slots", slots);
        AddBusinessDays(cmd, businessDays);
        cmd.Parameters.AddWithValue("day_began", BusinessCalendar.BeganBy(businessDays.Earliest));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReportRows.ReadHolderStatesAsync(reader, ct);
    }

    /// <summary>The business day of holder h: its campus's (@campuses, @days), else the deployment's (@day).</summary>
    private const string HolderDay =
        "SELECT coalesce((SELECT c.day FROM unnest(@campuses, @days) AS c(campus, day) WHERE c.campus = h.campus_no), @day) AS day";

    /// <summary>@day, @campuses and @days of <see cref="HolderDay"/>.</summary>
    private static void AddBusinessDays(NpgsqlCommand cmd, BusinessDays days)
    {
        cmd.Parameters.AddWithValue("day", days.Deployment);
        cmd.Parameters.AddWithValue("campuses", days.ByCampus.Keys.ToArray());
        cmd.Parameters.AddWithValue("days", days.ByCampus.Values.ToArray());
    }

    /// <summary>What a row t adds to its holder's spend of its day (<see cref="CountsAsSpent"/>).</summary>
    private const string Spent = "sum(CASE WHEN t.kind IN (1, 27) THEN t.moved_fen ELSE -t.moved_fen END)";

    /// <summary>The rows t of the day <paramref name="day"/> (an SQL expression) that count in the day's spend: approved debits and settled holds, and the refunds of the day's debits.</summary>
    private static string CountsAsSpent(string day) => $"""
        t.business_day = {day} AND t.outcome = 1
        AND (t.kind IN (1, 27) OR (t.kind = 2 AND t.effect = 1 AND EXISTS (
             SELECT 1 FROM transactions o
              WHERE o.scope = t.scope AND o.request_id = t.original_request_id
                AND o.kind = 1 AND o.outcome = 1 AND o.business_day = {day})))
        """;

    /// <summary>
    /// Each holder's newest state (holder_after) with the balances of the legs and the day's spend. A holder the registry
    /// opened whose first card was never decided has none and is left out; one opened before lifecycle decisions
    /// (legacy_card) has its one card live and active, without limits.
    /// </summary>
    private static async Task<List<HolderHotState>> ReadHoldersAsync(NpgsqlConnection conn, BusinessDays businessDays, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            WITH balances AS (
                SELECT account_owner AS holder,
                       sum(amount_fen) FILTER (WHERE account_kind = 1) AS purse,
                       sum(amount_fen) FILTER (WHERE account_kind = 2) AS wallet,
                       sum(amount_fen) FILTER (WHERE account_kind = 3) AS pending,
                       sum(amount_fen) FILTER (WHERE account_kind = 6) AS held
                  FROM postings WHERE account_kind IN (1, 2, 3, 6) GROUP BY account_owner),
            today AS (SELECT t.holder_id AS holder, {Spent} AS spent FROM transactions t JOIN holders h ON h.id = t.holder_id
                       CROSS JOIN LATERAL ({HolderDay}) hd WHERE {CountsAsSpent("hd.day")} GROUP BY t.holder_id),
            states AS (
                SELECT DISTINCT ON (holder_id) holder_id, holder_after
                  FROM transactions WHERE holder_after IS NOT NULL ORDER BY holder_id, id DESC)
            SELECT h.id, h.person_no, h.card_type, h.legacy_card, s.holder_after,
                   coalesce(b.purse, 0), coalesce(b.wallet, 0), coalesce(b.pending, 0), coalesce(d.spent, 0), coalesce(b.held, 0), h.campus_no, hd.day
              FROM holders h CROSS JOIN LATERAL ({HolderDay}) hd LEFT JOIN states s ON s.holder_id = h.id
                   LEFT JOIN balances b ON b.holder = h.id LEFT JOIN today d ON d.holder = h.id
             WHERE s.holder_after IS NOT NULL OR h.legacy_card IS NOT NULL
             ORDER BY h.id
            """, conn);
        AddBusinessDays(cmd, businessDays);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReportRows.ReadHolderStatesAsync(reader, ct);
    }

    public async Task<IReadOnlyList<ExpiredHold>> ExpiredHoldsAsync(DateTimeOffset since, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT h.id, scope_number(h.scope), h.request_id, h.campus_no FROM transactions h
             WHERE h.kind = 26 AND h.outcome = 1 AND h.deadline > $1 AND h.deadline <= $2
               AND NOT EXISTS (SELECT 1 FROM transactions c
                                WHERE c.kind IN (27, 28) AND c.scope = h.scope AND c.original_request_id = h.request_id AND c.outcome = 1)
             ORDER BY h.deadline LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        var holds = new List<ExpiredHold>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) holds.Add(new ExpiredHold(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt16(3)));
        return holds;
    }

    public async Task<IReadOnlyList<AutoTopUpRequest>> OpenAutoTopUpsAsync(long afterId, long throughId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT t.id, h.person_no, t.auto_topup_fen, t.purse_after_fen, t.decided_at, t.holder_after, h.campus_no FROM transactions t
              JOIN holders h ON h.id = t.holder_id
             WHERE t.auto_topup_fen > 0 AND t.id > $1 AND t.id <= $2
               AND NOT EXISTS (SELECT 1 FROM transactions a WHERE a.kind = 3 AND a.ref > 0 AND a.ref = t.id AND a.holder_id = t.holder_id AND a.reason <> 44)
             ORDER BY t.id LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterId });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = throughId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        var requests = new List<AutoTopUpRequest>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var personNo = reader.GetString(1);
            var campus = reader.GetInt16(6);
            var expires = DateTimeOffset.FromUnixTimeMilliseconds(HolderFormat.Read(campus, personNo, reader.GetFieldValue<byte[]>(5)).AutoUntilMs);
            if (expires <= now) continue;
            requests.Add(new AutoTopUpRequest(reader.GetInt64(0), personNo, reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4), expires, campus));
        }
        return requests;
    }

    public async Task<IReadOnlyDictionary<long, string>> OfflineCardsAsync(short campus, string terminalId, IReadOnlyCollection<long> terminalSeqs, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT ref, scope_number(scope) FROM transactions WHERE kind = 25 AND terminal_id = $1 AND ref = ANY($2) AND campus_no = $3");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = terminalId });
        cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. terminalSeqs] });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = campus });
        var cards = new Dictionary<long, string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) cards[reader.GetInt64(0)] = reader.GetString(1);
        return cards;
    }

    public async Task<IReadOnlyList<MerchantDay>> MerchantDaysAsync(short campus, int businessDay, long throughTransactionId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT m.no, m.merchant_id, m.name, m.category,
                   count(*) FILTER (WHERE d.to_kind = 4), coalesce(sum(d.moved_fen) FILTER (WHERE d.to_kind = 4), 0)::bigint,
                   count(*) FILTER (WHERE d.kind = 2), coalesce(sum(d.moved_fen) FILTER (WHERE d.kind = 2), 0)::bigint,
                   count(*) FILTER (WHERE d.kind = 24), coalesce(sum(d.moved_fen) FILTER (WHERE d.kind = 24), 0)::bigint,
                   coalesce(sum(d.moved_fen) FILTER (WHERE d.kind = 29), 0)::bigint
              FROM (SELECT t.kind, t.to_kind, t.moved_fen, CASE WHEN t.to_kind = 4 THEN t.to_owner ELSE t.from_owner END AS merchant
                      FROM transactions t
                     WHERE t.business_day = $1 AND t.id <= $2 AND t.outcome = 1 AND t.kind <> 29 AND (t.to_kind = 4 OR t.from_kind = 4)
                    UNION ALL
                    SELECT t.kind, NULL, t.moved_fen, t.from_owner FROM transactions t
                     WHERE t.kind = 29 AND t.outcome = 1 AND t.ref = $1 AND t.from_kind = 4) d
              JOIN merchants m ON m.no = d.merchant
             WHERE m.campus_no = $3
             GROUP BY m.no, m.merchant_id, m.name, m.category
             ORDER BY m.merchant_id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = businessDay });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = throughTransactionId });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = campus });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await ReportRows.ReadMerchantDaysAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<StatementLine>> StatementAsync(HolderDays days, long beforeId, int max, CancellationToken cancellationToken)
    {
        // The account legs' indexes (migration 004) find a holder's transactions; no index of the hot path's is added for
        // statements. Refunds payable (5, 4) is one account for everybody: its rows of this holder are few (after 报退).
        await using var cmd = dataSource.CreateCommand($"""
            WITH ids AS (
                SELECT id FROM transactions WHERE from_kind IN (1, 2, 3, 6) AND from_owner = $1 AND business_day BETWEEN $2 AND $3 AND id < $4
                UNION
                SELECT id FROM transactions WHERE to_kind IN (1, 2, 3, 6) AND to_owner = $1 AND business_day BETWEEN $2 AND $3 AND id < $4
                UNION
                SELECT id FROM transactions WHERE from_kind = 5 AND from_owner = 4 AND holder_id = $1 AND business_day BETWEEN $2 AND $3 AND id < $4
                UNION
                SELECT id FROM transactions WHERE to_kind = 5 AND to_owner = 4 AND holder_id = $1 AND business_day BETWEEN $2 AND $3 AND id < $4)
            SELECT t.id, t.decided_at, t.kind, t.effect,
                   {Change("1")}, {Change("2")}, {Change("3")}, {Change("6")},
                   coalesce(m.merchant_id, ''), coalesce(m.name, ''), coalesce(m.category, 0::smallint),
                   t.purse_after_fen, t.wallet_after_fen, t.pending_after_fen, t.held_after_fen, t.memo,
                   {RefundChange}, t.occurred_at
              FROM ids JOIN transactions t ON t.id = ids.id LEFT JOIN merchants m ON m.no = t.merchant_no
             WHERE {Day("$8")} BETWEEN $6 AND $7
             ORDER BY t.id DESC LIMIT $5
            """);
        AddDays(cmd, days);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = beforeId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.FromDay });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.ToDay });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.OffsetSeconds });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await ReportRows.ReadStatementAsync(reader, cancellationToken);
    }

    /// <summary>What a transaction did to the holder's account of a kind ($1 the holder), its main and side legs.</summary>
    private static string Change(string kind) =>
        $"(CASE WHEN t.to_kind = {kind} AND t.to_owner = $1 THEN t.moved_fen ELSE 0 END) - (CASE WHEN t.from_kind = {kind} AND t.from_owner = $1 THEN t.moved_fen ELSE 0 END)"
        + $" + (CASE WHEN t.side_to_kind = {kind} AND t.side_to_owner = $1 THEN t.side_fen ELSE 0 END) - (CASE WHEN t.side_from_kind = {kind} AND t.side_from_owner = $1 THEN t.side_fen ELSE 0 END)";

    /// <summary>What a transaction of the holder ($1) did to refunds payable (system account 4), owed to them after 报退.</summary>
    private const string RefundChange =
        "(CASE WHEN t.holder_id = $1 AND t.to_kind = 5 AND t.to_owner = 4 THEN t.moved_fen ELSE 0 END) - (CASE WHEN t.holder_id = $1 AND t.from_kind = 5 AND t.from_owner = 4 THEN t.moved_fen ELSE 0 END)"
        + " + (CASE WHEN t.holder_id = $1 AND t.side_to_kind = 5 AND t.side_to_owner = 4 THEN t.side_fen ELSE 0 END) - (CASE WHEN t.holder_id = $1 AND t.side_from_kind = 5 AND t.side_from_owner = 4 THEN t.side_fen ELSE 0 END)";

    /// <summary>The campus day a row counts on: an offline record's is the day it happened (<paramref name="offset"/>: the campus's UTC offset in seconds).</summary>
    private static string Day(string offset) =>
        $"CASE WHEN t.kind = 25 THEN floor((extract(epoch FROM t.occurred_at) + {offset}) / 86400)::integer ELSE t.business_day END";

    /// <summary>$1 the holder, $2 and $3 the decided days a holder's rows are read from.</summary>
    private static void AddDays(NpgsqlCommand cmd, HolderDays days)
    {
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = days.HolderId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.FirstDecidedDay });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.LastDecidedDay });
    }

    public async Task<IReadOnlyList<(DateOnly Month, MerchantCategory Category, long AmountFen)>> SpendAsync(HolderDays days, CancellationToken cancellationToken)
    {
        // What left the holder's accounts (or, after 报退, refunds payable for them) for a merchant, less what came back.
        await using var cmd = dataSource.CreateCommand($"""
            SELECT date_trunc('month', date '1970-01-01' + d.day)::date, m.category, sum(d.fen)::bigint
              FROM (SELECT {Day("$6")} AS day, t.to_owner AS merchant, t.moved_fen AS fen FROM transactions t
                     WHERE t.from_kind IN (1, 2, 6) AND t.from_owner = $1 AND t.to_kind = 4 AND t.business_day BETWEEN $2 AND $3
                    UNION ALL
                    SELECT t.business_day, t.from_owner, -t.moved_fen FROM transactions t
                     WHERE t.to_kind IN (1, 2) AND t.to_owner = $1 AND t.from_kind = 4 AND t.business_day BETWEEN $2 AND $3
                    UNION ALL
                    SELECT {Day("$6")}, t.to_owner, t.moved_fen FROM transactions t
                     WHERE t.from_kind = 5 AND t.from_owner = 4 AND t.holder_id = $1 AND t.to_kind = 4 AND t.business_day BETWEEN $2 AND $3
                    UNION ALL
                    SELECT t.business_day, t.from_owner, -t.moved_fen FROM transactions t
                     WHERE t.to_kind = 5 AND t.to_owner = 4 AND t.holder_id = $1 AND t.from_kind = 4 AND t.business_day BETWEEN $2 AND $3) d
              JOIN merchants m ON m.no = d.merchant
             WHERE d.day BETWEEN $4 AND $5
             GROUP BY 1, 2
            """);
        AddDays(cmd, days);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.FromDay });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.ToDay });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days.OffsetSeconds });
        var spend = new List<(DateOnly, MerchantCategory, long)>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) spend.Add((r.GetFieldValue<DateOnly>(0), (MerchantCategory)r.GetInt16(1), r.GetInt64(2)));
        return spend;
    }

    public async Task<IReadOnlyList<string>> SubsidizedPersonsAsync(short campus, string batchId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT scope_number(scope) FROM transactions WHERE kind = 18 AND outcome = 1 AND request_id = $1 AND campus_no = $2 ORDER BY id");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batchId });
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = campus });
        var persons = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) persons.Add(reader.GetString(0));
        return persons;
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
