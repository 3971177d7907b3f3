using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Domain.Ports;
using Npgsql;

namespace CampusCard.Clearing.Journal;

public sealed class PostgresRegistry(NpgsqlDataSource dataSource) : IRegistry
{
    private const string CampusColumns = "campus_no, code, name, created_at, journal_database";

    public async Task<Campus?> CreateCampusAsync(string code, string name, short journalDatabase, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The next number under a lock of the table: campuses are created rarely, by the vendor, and numbers stay dense.
        await using var cmd = dataSource.CreateCommand($"""
            WITH lock AS (SELECT pg_advisory_xact_lock(hashtext('campuses')))
            INSERT INTO campuses ({CampusColumns}, created_by)
            SELECT (SELECT coalesce(max(campus_no), 0) + 1 FROM campuses), @code, @name, @at, @db, @by FROM lock
            ON CONFLICT (code) DO NOTHING RETURNING {CampusColumns}
            """);
        cmd.Parameters.AddWithValue("code", code);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        cmd.Parameters.AddWithValue("db", journalDatabase);
        cmd.Parameters.AddWithValue("by", createdBy);
        return (await ReadCampusesAsync(cmd, cancellationToken)).FirstOrDefault();
    }

    public async Task PlaceCampusAsync(Campus campus, string createdBy, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"""
            INSERT INTO campuses ({CampusColumns}, created_by) VALUES (@no, @code, @name, @at, @db, @by) ON CONFLICT (campus_no) DO NOTHING
            """);
        cmd.Parameters.AddWithValue("no", campus.No);
        cmd.Parameters.AddWithValue("code", campus.Code);
        cmd.Parameters.AddWithValue("name", campus.Name);
        cmd.Parameters.AddWithValue("at", campus.CreatedAt.ToUniversalTime());
        cmd.Parameters.AddWithValue("db", campus.JournalDatabase);
        cmd.Parameters.AddWithValue("by", createdBy);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Campus>> CampusesAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {CampusColumns} FROM campuses ORDER BY campus_no");
        return await ReadCampusesAsync(cmd, cancellationToken);
    }

    private const string ConfigurationColumns = "campus_no, version, effective_from, settings, set_by, set_at";

    public async Task<CampusConfiguration> ConfigureCampusAsync(short campus, DateTimeOffset effectiveFrom, CampusSettings settings, string setBy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The next version under a lock of the campus's versions: a version is never taken twice.
        await using var cmd = dataSource.CreateCommand($"""
            WITH lock AS (SELECT pg_advisory_xact_lock(hashtext('campus_configurations'), @campus))
            INSERT INTO campus_configurations ({ConfigurationColumns})
            SELECT @campus, (SELECT coalesce(max(version), 0) + 1 FROM campus_configurations WHERE campus_no = @campus), @from, @settings, @by, @at FROM lock
            RETURNING {ConfigurationColumns}
            """);
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("from", effectiveFrom.ToUniversalTime());
        cmd.Parameters.AddWithValue("settings", CampusSettingsFormat.Write(settings));
        cmd.Parameters.AddWithValue("by", setBy);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        return (await ReadConfigurationsAsync(cmd, cancellationToken)).Single();
    }

    public async Task<IReadOnlyList<CampusConfiguration>> CampusConfigurationsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {ConfigurationColumns} FROM campus_configurations ORDER BY campus_no, version");
        return await ReadConfigurationsAsync(cmd, cancellationToken);
    }

    private static async Task<IReadOnlyList<CampusConfiguration>> ReadConfigurationsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var configurations = new List<CampusConfiguration>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            configurations.Add(new CampusConfiguration(r.GetInt16(0), r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(2), CampusSettingsFormat.Read(r.GetString(3)),
                r.GetString(4), r.GetFieldValue<DateTimeOffset>(5)));
        return configurations;
    }

    private static async Task<IReadOnlyList<Campus>> ReadCampusesAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var campuses = new List<Campus>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) campuses.Add(new Campus(r.GetInt16(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetInt16(4)));
        return campuses;
    }

    private const string HolderColumns = "id, person_no, name, card_type, opened_at, campus_no";

    public async Task<Holder?> OpenHolderAsync(short campus, string personNo, string name, CardType cardType, string idNumberHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"""
            WITH holder AS (
                INSERT INTO holders (campus_no, person_no, name, card_type, opened_at, id_number_hash, partition_slot)
                VALUES (@campus, @p, @n, @t, @at, @id, partition_hash(campus_key(@campus, 'p:' || @p)) % {Partitioning.Slots})
                ON CONFLICT (campus_no, person_no) DO NOTHING RETURNING {HolderColumns}),
            opened AS (
                INSERT INTO accounts (kind, owner, name, opened_at, campus_no)
                SELECT k, holder.id, holder.person_no || ' ' || label, @at, holder.campus_no
                  FROM holder, (VALUES (1::smallint, 'purse'), (2::smallint, 'e-wallet'), (3::smallint, 'pending'), (6::smallint, 'holds')) AS a (k, label))
            SELECT {HolderColumns} FROM holder
            """);
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("p", personNo);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("t", (short)cardType);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        cmd.Parameters.AddWithValue("id", idNumberHash);
        return await ReadHolderAsync(cmd, cancellationToken);
    }

    public Task<Holder?> FindHolderAsync(short campus, string personNo, CancellationToken cancellationToken) =>
        QueryHolderAsync("campus_no = @campus AND person_no = @k", campus, personNo, cancellationToken);

    public Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken) =>
        QueryHolderAsync("id = @k", Campuses.None, holderId, cancellationToken);

    private async Task<Holder?> QueryHolderAsync(string where, short campus, object key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {HolderColumns} FROM holders WHERE {where}");
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("k", key);
        return await ReadHolderAsync(cmd, ct);
    }

    private static async Task<Holder?> ReadHolderAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new Holder(r.GetInt64(0), r.GetString(1), r.GetString(2), (CardType)r.GetInt16(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt16(5));
    }

    public async Task<string?> IdNumberHashAsync(long holderId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id_number_hash FROM holders WHERE id = @h");
        cmd.Parameters.AddWithValue("h", holderId);
        return await cmd.ExecuteScalarAsync(cancellationToken) as string;
    }

    private const string CardColumns = "c.card_no, c.holder_id, h.person_no, c.issued_at, c.campus_no";

    public async Task<IssuedCard> IssueCardAsync(short campus, string cardNo, long holderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand(
            "INSERT INTO cards (campus_no, card_no, holder_id, issued_at) VALUES (@campus, @c, @h, @at) ON CONFLICT (campus_no, card_no) DO NOTHING");
        insert.Parameters.AddWithValue("campus", campus);
        insert.Parameters.AddWithValue("c", cardNo);
        insert.Parameters.AddWithValue("h", holderId);
        insert.Parameters.AddWithValue("at", now.ToUniversalTime());
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return await FindCardAsync(campus, cardNo, cancellationToken) ?? throw new InvalidOperationException($"card {cardNo} vanished after it was issued");
    }

    public async Task ReleaseCardAsync(short campus, string cardNo, long holderId, CancellationToken cancellationToken)
    {
        await using var delete = dataSource.CreateCommand("""
            DELETE FROM cards c WHERE c.campus_no = @campus AND c.card_no = @c AND c.holder_id = @h
               AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.holder_id = @h AND t.card_no = @c AND t.outcome = 1)
            """);
        delete.Parameters.AddWithValue("campus", campus);
        delete.Parameters.AddWithValue("c", cardNo);
        delete.Parameters.AddWithValue("h", holderId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IssuedCard?> FindCardAsync(short campus, string cardNo, CancellationToken cancellationToken) =>
        (await QueryCardsAsync("c.campus_no = @campus AND c.card_no = @k", campus, cardNo, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<IssuedCard>> AllCardsAsync(CancellationToken cancellationToken) => QueryCardsAsync("@k", Campuses.None, true, cancellationToken);

    public Task<IReadOnlyList<IssuedCard>> CardsOfAsync(long holderId, CancellationToken cancellationToken) =>
        QueryCardsAsync("c.holder_id = @k", Campuses.None, holderId, cancellationToken);

    private async Task<IReadOnlyList<IssuedCard>> QueryCardsAsync(string where, short campus, object key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {CardColumns} FROM cards c JOIN holders h ON h.id = c.holder_id WHERE {where} ORDER BY c.issued_at, c.card_no");
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("k", key);
        var cards = new List<IssuedCard>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) cards.Add(new IssuedCard(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetInt16(4)));
        return cards;
    }

    public async Task<(string Hash, long SetBy)?> SecretAsync(long holderId, SecretKind kind, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT hash, txn FROM secrets WHERE holder_id = @h AND kind = @k");
        cmd.Parameters.AddWithValue("h", holderId);
        cmd.Parameters.AddWithValue("k", (short)kind);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? (r.GetString(0), r.GetInt64(1)) : null;
    }

    public async Task SetSecretAsync(long holderId, SecretKind kind, string hash, long setBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO secrets (holder_id, kind, hash, txn, changed_at) VALUES (@h, @k, @hash, @txn, @at)
            ON CONFLICT (holder_id, kind) DO UPDATE SET hash = excluded.hash, txn = excluded.txn, changed_at = excluded.changed_at
             WHERE secrets.txn < excluded.txn
            """);
        cmd.Parameters.AddWithValue("h", holderId);
        cmd.Parameters.AddWithValue("k", (short)kind);
        cmd.Parameters.AddWithValue("hash", hash);
        cmd.Parameters.AddWithValue("txn", setBy);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string MerchantColumns = "no, merchant_id, name, category, opened_at, campus_no";

    public async Task<Merchant?> OpenMerchantAsync(short campus, string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"""
            WITH merchant AS (
                INSERT INTO merchants (campus_no, merchant_id, name, category, opened_at) VALUES (@campus, @m, @n, @c, @at)
                ON CONFLICT (campus_no, merchant_id) DO NOTHING RETURNING {MerchantColumns}),
            opened AS (
                INSERT INTO accounts (kind, owner, name, opened_at, campus_no) SELECT 4, no, 'merchant ' || merchant_id, @at, campus_no FROM merchant)
            SELECT {MerchantColumns} FROM merchant
            """);
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("m", merchantId);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("c", (short)category);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        return await ReadMerchantAsync(cmd, cancellationToken);
    }

    public async Task<Merchant?> FindMerchantAsync(short campus, string merchantId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {MerchantColumns} FROM merchants WHERE campus_no = @campus AND merchant_id = @m");
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("m", merchantId);
        return await ReadMerchantAsync(cmd, cancellationToken);
    }

    private static async Task<Merchant?> ReadMerchantAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new Merchant(r.GetInt64(0), r.GetString(1), r.GetString(2), (MerchantCategory)r.GetInt16(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt16(5));
    }

    private const string TerminalColumns = "t.terminal_id, t.merchant_no, m.merchant_id, t.registered_at, t.revoked_at, t.tokens_from, t.campus_no";

    public async Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(
        short campus, string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO terminals (campus_no, terminal_id, merchant_no, registered_at, registered_by) VALUES (@campus, @t, @m, @at, @by)
            ON CONFLICT (campus_no, terminal_id) DO UPDATE
               SET merchant_no = excluded.merchant_no, registered_at = excluded.registered_at, registered_by = excluded.registered_by,
                   revoked_at = NULL, revoked_by = NULL, tokens_from = excluded.registered_at
             WHERE terminals.merchant_no <> excluded.merchant_no OR terminals.revoked_at IS NOT NULL
            """);
        insert.Parameters.AddWithValue("campus", campus);
        insert.Parameters.AddWithValue("t", terminalId);
        insert.Parameters.AddWithValue("m", merchantNo);
        insert.Parameters.AddWithValue("at", now.ToUniversalTime());
        insert.Parameters.AddWithValue("by", registeredBy);
        var created = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        var registration = await FindTerminalAsync(campus, terminalId, cancellationToken)
            ?? throw new InvalidOperationException($"terminal {terminalId} vanished after its registration");
        return (registration, created);
    }

    public async Task<TerminalRegistration?> RevokeTerminalAsync(short campus, string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE terminals SET revoked_at = @at, revoked_by = @by WHERE campus_no = @campus AND terminal_id = @t AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("t", terminalId);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        cmd.Parameters.AddWithValue("by", revokedBy);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return await FindTerminalAsync(campus, terminalId, cancellationToken);
    }

    public async Task<TerminalRegistration?> FindTerminalAsync(short campus, string terminalId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {TerminalColumns} FROM terminals t JOIN merchants m ON m.no = t.merchant_no WHERE t.campus_no = @campus AND t.terminal_id = @t");
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("t", terminalId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken)) return null;
        return new TerminalRegistration(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
            r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.GetInt16(6));
    }

    public async Task<SubsidyBatch> OpenSubsidyBatchAsync(SubsidyBatch batch, CancellationToken cancellationToken)
    {
        await using (var cmd = dataSource.CreateCommand("""
            INSERT INTO subsidy_batches (campus_no, batch_id, deadline, memo, created_by, created_at) VALUES (@campus, @b, @d, @m, @by, @at)
            ON CONFLICT (campus_no, batch_id) DO NOTHING
            """))
        {
            cmd.Parameters.AddWithValue("campus", batch.Campus);
            cmd.Parameters.AddWithValue("b", batch.BatchId);
            cmd.Parameters.AddWithValue("d", batch.Deadline.ToUniversalTime());
            cmd.Parameters.AddWithValue("m", batch.Memo);
            cmd.Parameters.AddWithValue("by", batch.CreatedBy);
            cmd.Parameters.AddWithValue("at", batch.CreatedAt.ToUniversalTime());
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        return await FindSubsidyBatchAsync(batch.Campus, batch.BatchId, cancellationToken)
            ?? throw new InvalidOperationException($"subsidy batch {batch.BatchId} vanished after it was recorded");
    }

    public async Task<SubsidyBatch?> FindSubsidyBatchAsync(short campus, string batchId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT batch_id, deadline, memo, created_by, created_at, campus_no FROM subsidy_batches WHERE campus_no = @campus AND batch_id = @b");
        cmd.Parameters.AddWithValue("campus", campus);
        cmd.Parameters.AddWithValue("b", batchId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken)) return null;
        return new SubsidyBatch(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt16(5));
    }
}
