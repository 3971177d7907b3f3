using System.Data;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal.SqlServer.Internal;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Journal.SqlServer;

/// <summary>
/// The journal on SQL Server, with the semantics of the PostgreSQL provider. A batch goes in as one INSERT ... SELECT
/// from a table-valued parameter (dbo.transaction_rows): one round trip. When some of it is already stored (a replay
/// after a lost answer, or recovery from the outbox) the key violation sends the batch again to
/// journal_append_idempotent.sql, which stores only the missing rows and refuses a different transaction under a
/// stored id or (scope, request id).
/// </summary>
public sealed class SqlServerJournal(SqlServerDatabase database, ILogger<SqlServerJournal> logger) : IJournal
{
    /// <summary>Violation of a PRIMARY KEY or UNIQUE constraint (2627) or of a unique index (2601).</summary>
    private static bool IsKeyViolation(SqlException e) => e.Number is 2627 or 2601;

    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0) return;
        var rows = TransactionRecords.Records(entries);
        await using var conn = await database.OpenAsync(cancellationToken);
        try
        {
            await using var insert = Sql.Command(conn, "journal_append").AddTable("@rows", TransactionRecords.TypeName, rows);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqlException e) when (IsKeyViolation(e))
        {
            Log.ReplayingBatch(logger, entries.Count);
            await using var replay = Sql.Command(conn, "journal_append_idempotent").AddTable("@rows", TransactionRecords.TypeName, rows);
            if (await replay.ExecuteScalarAsync(cancellationToken) is long id)
                throw new JournalConflictException(id);
        }
    }

    public async Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_max_id");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_contains").Add("@id", SqlDbType.BigInt, transactionId);
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private static readonly SqlMetaData[] KeyMetadata =
        [new("scope", SqlDbType.NVarChar, SqlMetaData.Max), new("request_id", SqlDbType.NVarChar, SqlMetaData.Max)];

    public async Task<IReadOnlyList<JournalEntry>> FindAsync(IReadOnlyCollection<(string Scope, string RequestId)> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return [];
        var records = new List<SqlDataRecord>(keys.Count);
        foreach (var (scope, requestId) in keys)
        {
            var record = new SqlDataRecord(KeyMetadata);
            record.SetString(0, scope);
            record.SetString(1, requestId);
            records.Add(record);
        }
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_find").AddTable("@keys", "dbo.request_keys", records);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await TransactionRow.ReadEachOnceAsync(reader, cancellationToken);
    }

    public async IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(
        DateTimeOffset from, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_request_keys").AddTime("@from", from).AddTime("@before", before);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await foreach (var key in TransactionRow.ReadRequestKeysAsync(reader, cancellationToken)) yield return key;
    }

    public async Task<long> CountRequestKeysAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_count_request_keys").AddTime("@before", before);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<CardStateRow>> ReadCardStatesAsync(
        long afterTransactionId, long throughTransactionId, bool newestOnly, int maxChanges, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_card_states")
            .Add("@after_id", SqlDbType.BigInt, afterTransactionId)
            .Add("@through_id", SqlDbType.BigInt, throughTransactionId)
            .Add("@newest_only", SqlDbType.Bit, newestOnly)
            .Add("@max_changes", SqlDbType.Int, Math.Max(0, maxChanges));
        var rows = new List<CardStateRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var holder = HolderFormat.Read(reader.GetInt16(5), reader.GetString(3), reader.GetSqlBinary(4).Value);
            rows.Add(new CardStateRow(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), holder));
        }
        return rows;
    }

    /// <summary>
    /// One SNAPSHOT transaction, so balances, day spend and records agree with each other (as PostgreSQL's repeatable
    /// read): the database needs ALLOW_SNAPSHOT_ISOLATION ON (docs/sqlserver.md).
    /// </summary>
    public async Task<HotSnapshot> SnapshotAsync(Partitioning partitioning, int partition, DateTimeOffset now, BusinessDays businessDays, TimeSpan idempotencyWindow,
        CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var tx = (SqlTransaction)await conn.BeginTransactionAsync(IsolationLevel.Snapshot, cancellationToken);
        long newest;
        await using (var cmd = Sql.Command(conn, "journal_max_id", tx))
            newest = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        var slots = Values(partitioning.SlotsOf(partition).Select(s => (long)s));
        List<HolderHotState> holders;
        await using (var cmd = Sql.Command(conn, "journal_partition_holders", tx)
            .Add("@day", SqlDbType.Int, businessDays.Deployment).AddTable("@campus_days", "dbo.campus_days", CampusDays(businessDays))
            .AddTime("@day_began", BusinessCalendar.BeganBy(businessDays.Earliest)).AddTable("@slots", "dbo.bigint_list", slots))
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            holders = await ReportRows.ReadHolderStatesAsync(reader, cancellationToken);
        }
        var recent = new List<JournalEntry>();
        await using (var cmd = Sql.Command(conn, "journal_recent", tx).AddTime("@since", now - idempotencyWindow).AddTable("@slots", "dbo.bigint_list", slots))
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) recent.Add(TransactionRow.Read(reader));
        }
        var cards = new Dictionary<string, CardRef>(StringComparer.Ordinal);
        await using (var cmd = Sql.Command(conn, "journal_card_refs", tx).AddTable("@slots", "dbo.bigint_list", slots))
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) cards[Campuses.Qualify(reader.GetInt16(2), reader.GetString(0))] = new CardRef(reader.GetString(1));
        }
        await tx.CommitAsync(cancellationToken);
        return new HotSnapshot(TransactionIds.SequenceOf(newest), holders, cards, recent, now);
    }

    public async Task<bool> HoldsAfterAsync(int partition, long afterId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_holds_after").Add("@after_id", SqlDbType.BigInt, afterId).Add("@partition", SqlDbType.Int, partition);
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<HolderHotState>> HolderStatesAsync(BusinessDays businessDays, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        return await ReadHoldersAsync(conn, null, businessDays, cancellationToken);
    }

    /// <summary>
    /// Each holder's newest state with the balances of the legs and the day's spend; a holder opened before lifecycle
    /// decisions (legacy_card) has its one card live and active, without limits.
    /// </summary>
    private static async Task<List<HolderHotState>> ReadHoldersAsync(SqlConnection conn, SqlTransaction? tx, BusinessDays businessDays, CancellationToken ct)
    {
        await using var cmd = Sql.Command(conn, "journal_holder_states", tx)
            .Add("@day", SqlDbType.Int, businessDays.Deployment).AddTable("@campus_days", "dbo.campus_days", CampusDays(businessDays));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await ReportRows.ReadHolderStatesAsync(reader, ct);
    }

    /// <summary>The rows of @campus_days (dbo.campus_days): the day of each campus with settings of its own (@day: the others').</summary>
    private static List<SqlDataRecord> CampusDays(BusinessDays days)
    {
        var rows = new List<SqlDataRecord>();
        foreach (var (campus, day) in days.ByCampus)
        {
            var record = new SqlDataRecord(CampusDayMetadata);
            record.SetInt16(0, campus);
            record.SetInt32(1, day);
            rows.Add(record);
        }
        return rows;
    }

    private static readonly SqlMetaData[] CampusDayMetadata = [new("campus_no", SqlDbType.SmallInt), new("day", SqlDbType.Int)];

    public async Task<IReadOnlyList<BankTopUp>> BankTopUpsAsync(short campus, int businessDay, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_bank_topups").Add("@day", SqlDbType.Int, businessDay).Add("@campus", SqlDbType.SmallInt, campus);
        var topUps = new List<BankTopUp>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) topUps.Add(new BankTopUp(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)));
        return topUps;
    }

    public async Task<IReadOnlyList<ExpiredHold>> ExpiredHoldsAsync(DateTimeOffset since, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_expired_holds")
            .AddTime("@since", since).AddTime("@now", now).Add("@max", SqlDbType.Int, Math.Max(0, max));
        var holds = new List<ExpiredHold>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) holds.Add(new ExpiredHold(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt16(3)));
        return holds;
    }

    public async Task<IReadOnlyList<AutoTopUpRequest>> OpenAutoTopUpsAsync(long afterId, long throughId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_open_auto_topups")
            .Add("@after_id", SqlDbType.BigInt, afterId).Add("@through_id", SqlDbType.BigInt, throughId).Add("@max", SqlDbType.Int, Math.Max(0, max));
        var requests = new List<AutoTopUpRequest>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var personNo = reader.GetString(1);
            var campus = reader.GetInt16(6);
            var expires = DateTimeOffset.FromUnixTimeMilliseconds(HolderFormat.Read(campus, personNo, reader.GetSqlBinary(5).Value).AutoUntilMs);
            if (expires <= now) continue;
            requests.Add(new AutoTopUpRequest(reader.GetInt64(0), personNo, reader.GetInt64(2), reader.GetInt64(3), reader.GetDateTimeOffset(4), expires, campus));
        }
        return requests;
    }

    private static readonly SqlMetaData[] ValueMetadata = [new("value", SqlDbType.BigInt)];

    /// <summary>Numbers as rows of dbo.bigint_list.</summary>
    private static List<SqlDataRecord> Values(IEnumerable<long> values)
    {
        var rows = new List<SqlDataRecord>();
        foreach (var value in values)
        {
            var record = new SqlDataRecord(ValueMetadata);
            record.SetInt64(0, value);
            rows.Add(record);
        }
        return rows;
    }

    public async Task<IReadOnlyDictionary<long, string>> OfflineCardsAsync(
        short campus, string terminalId, IReadOnlyCollection<long> terminalSeqs, CancellationToken cancellationToken)
    {
        var cards = new Dictionary<long, string>();
        if (terminalSeqs.Count == 0) return cards;
        var seqs = Values(terminalSeqs.Distinct());
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_offline_cards")
            .Add("@campus", SqlDbType.SmallInt, campus).AddText("@terminal_id", terminalId).AddTable("@seqs", "dbo.bigint_list", seqs);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) cards[reader.GetInt64(0)] = reader.GetString(1);
        return cards;
    }

    public async Task<IReadOnlyList<MerchantDay>> MerchantDaysAsync(short campus, int businessDay, long throughTransactionId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_merchant_days")
            .Add("@campus", SqlDbType.SmallInt, campus).Add("@day", SqlDbType.Int, businessDay).Add("@through_id", SqlDbType.BigInt, throughTransactionId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await ReportRows.ReadMerchantDaysAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<StatementLine>> StatementAsync(HolderDays days, long beforeId, int max, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_statement")
            .Add("@holder_id", SqlDbType.BigInt, days.HolderId).Add("@first_day", SqlDbType.Int, days.FirstDecidedDay).Add("@last_day", SqlDbType.Int, days.LastDecidedDay)
            .Add("@from_day", SqlDbType.Int, days.FromDay).Add("@to_day", SqlDbType.Int, days.ToDay).Add("@offset", SqlDbType.Int, days.OffsetSeconds)
            .Add("@before_id", SqlDbType.BigInt, beforeId).Add("@max", SqlDbType.Int, Math.Max(0, max));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await ReportRows.ReadStatementAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<(DateOnly Month, MerchantCategory Category, long AmountFen)>> SpendAsync(HolderDays days, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_spend")
            .Add("@holder_id", SqlDbType.BigInt, days.HolderId).Add("@first_day", SqlDbType.Int, days.FirstDecidedDay).Add("@last_day", SqlDbType.Int, days.LastDecidedDay)
            .Add("@from_day", SqlDbType.Int, days.FromDay).Add("@to_day", SqlDbType.Int, days.ToDay).Add("@offset", SqlDbType.Int, days.OffsetSeconds);
        var spend = new List<(DateOnly, MerchantCategory, long)>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) spend.Add((DateOnly.FromDateTime(r.GetDateTime(0)), (MerchantCategory)r.GetInt16(1), r.GetInt64(2)));
        return spend;
    }

    public async Task<IReadOnlyList<string>> SubsidizedPersonsAsync(short campus, string batchId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "journal_subsidized_persons").Add("@campus", SqlDbType.SmallInt, campus).AddText("@batch_id", batchId);
        var persons = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) persons.Add(reader.GetString(0));
        return persons;
    }
}
