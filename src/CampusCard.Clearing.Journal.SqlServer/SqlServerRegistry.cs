using System.Data;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal.SqlServer.Internal;
using Microsoft.Data.SqlClient;

namespace CampusCard.Clearing.Journal.SqlServer;

/// <summary>
/// The registry on SQL Server, with the semantics of the PostgreSQL provider. PostgreSQL's INSERT ... ON CONFLICT DO
/// NOTHING is INSERT ... WHERE NOT EXISTS under UPDLOCK, HOLDLOCK (a key-range lock, so two callers cannot both pass
/// the check), each with the read that follows it in the same batch: one round trip per call. Numbers and ids are looked
/// up within their campus (@campus), as on PostgreSQL.
/// </summary>
public sealed class SqlServerRegistry(SqlServerDatabase database) : IRegistry
{
    public async Task<Campus?> CreateCampusAsync(string code, string name, short journalDatabase, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_create_campus")
            .AddText("@code", code).AddText("@name", name).AddTime("@at", now).Add("@journal_database", SqlDbType.SmallInt, journalDatabase).AddText("@by", createdBy);
        return await FirstAsync(cmd, CampusRow, cancellationToken);
    }

    public async Task PlaceCampusAsync(Campus campus, string createdBy, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_place_campus")
            .Add("@campus_no", SqlDbType.SmallInt, campus.No).AddText("@code", campus.Code).AddText("@name", campus.Name).AddTime("@at", campus.CreatedAt)
            .Add("@journal_database", SqlDbType.SmallInt, campus.JournalDatabase).AddText("@by", createdBy);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Campus>> CampusesAsync(CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_campuses");
        var campuses = new List<Campus>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) campuses.Add(CampusRow(r));
        return campuses;
    }

    private static Campus CampusRow(SqlDataReader r) => new(r.GetInt16(0), r.GetString(1), r.GetString(2), r.GetDateTimeOffset(3), r.GetInt16(4));

    public async Task<CampusConfiguration> ConfigureCampusAsync(short campus, DateTimeOffset effectiveFrom, CampusSettings settings, string setBy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_configure_campus")
            .Add("@campus", SqlDbType.SmallInt, campus).AddTime("@from", effectiveFrom).AddText("@settings", CampusSettingsFormat.Write(settings))
            .AddText("@by", setBy).AddTime("@at", now);
        return await FirstAsync(cmd, ConfigurationRow, cancellationToken)
            ?? throw new InvalidOperationException($"campus {campus}'s configuration vanished as it was recorded");
    }

    public async Task<IReadOnlyList<CampusConfiguration>> CampusConfigurationsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_campus_configurations");
        var configurations = new List<CampusConfiguration>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) configurations.Add(ConfigurationRow(r));
        return configurations;
    }

    private static CampusConfiguration ConfigurationRow(SqlDataReader r) =>
        new(r.GetInt16(0), r.GetInt32(1), r.GetDateTimeOffset(2), CampusSettingsFormat.Read(r.GetString(3)), r.GetString(4), r.GetDateTimeOffset(5));

    public async Task<Holder?> OpenHolderAsync(
        short campus, string personNo, string name, CardType cardType, string idNumberHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_open_holder")
            .Add("@campus", SqlDbType.SmallInt, campus).AddText("@person_no", personNo).AddText("@name", name).Add("@card_type", SqlDbType.SmallInt, (short)cardType)
            .AddTime("@at", now).AddText("@id_number_hash", idNumberHash);
        return await FirstAsync(cmd, HolderRow, cancellationToken);
    }

    public async Task<Holder?> FindHolderAsync(short campus, string personNo, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_find_holder").Add("@campus", SqlDbType.SmallInt, campus).AddText("@person_no", personNo);
        return await FirstAsync(cmd, HolderRow, cancellationToken);
    }

    public async Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_get_holder").Add("@holder_id", SqlDbType.BigInt, holderId);
        return await FirstAsync(cmd, HolderRow, cancellationToken);
    }

    private static Holder HolderRow(SqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), (CardType)r.GetInt16(3), r.GetDateTimeOffset(4), r.GetInt16(5));

    /// <summary>The first row the command reads, mapped; null when it reads none.</summary>
    private static async Task<T?> FirstAsync<T>(SqlCommand cmd, Func<SqlDataReader, T> row, CancellationToken ct) where T : class
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? row(r) : null;
    }

    public async Task<string?> IdNumberHashAsync(long holderId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_id_number_hash").Add("@holder_id", SqlDbType.BigInt, holderId);
        return await cmd.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task ReleaseCardAsync(short campus, string cardNo, long holderId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_release_card")
            .Add("@campus", SqlDbType.SmallInt, campus).AddText("@card_no", cardNo).Add("@holder_id", SqlDbType.BigInt, holderId);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IssuedCard> IssueCardAsync(short campus, string cardNo, long holderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_issue_card")
            .Add("@campus", SqlDbType.SmallInt, campus).AddText("@card_no", cardNo).Add("@holder_id", SqlDbType.BigInt, holderId).AddTime("@at", now);
        return (await ReadCardsAsync(cmd, cancellationToken)).FirstOrDefault()
            ?? throw new InvalidOperationException($"card {cardNo} vanished after it was issued");
    }

    public async Task<IssuedCard?> FindCardAsync(short campus, string cardNo, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_find_card").Add("@campus", SqlDbType.SmallInt, campus).AddText("@card_no", cardNo);
        return (await ReadCardsAsync(cmd, cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<IssuedCard>> AllCardsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_all_cards");
        return await ReadCardsAsync(cmd, cancellationToken);
    }

    public async Task<IReadOnlyList<IssuedCard>> CardsOfAsync(long holderId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_cards_of").Add("@holder_id", SqlDbType.BigInt, holderId);
        return await ReadCardsAsync(cmd, cancellationToken);
    }

    private static async Task<IReadOnlyList<IssuedCard>> ReadCardsAsync(SqlCommand cmd, CancellationToken ct)
    {
        var cards = new List<IssuedCard>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) cards.Add(new IssuedCard(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetDateTimeOffset(3), r.GetInt16(4)));
        return cards;
    }

    public async Task<(string Hash, long SetBy)?> SecretAsync(long holderId, SecretKind kind, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_secret").Add("@holder_id", SqlDbType.BigInt, holderId).Add("@kind", SqlDbType.SmallInt, (short)kind);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? (r.GetString(0), r.GetInt64(1)) : null;
    }

    public async Task SetSecretAsync(long holderId, SecretKind kind, string hash, long setBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_set_secret")
            .Add("@holder_id", SqlDbType.BigInt, holderId).Add("@kind", SqlDbType.SmallInt, (short)kind).AddText("@hash", hash)
            .Add("@txn", SqlDbType.BigInt, setBy).AddTime("@at", now);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Merchant?> OpenMerchantAsync(
        short campus, string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_open_merchant")
            .Add("@campus", SqlDbType.SmallInt, campus).AddText("@merchant_id", merchantId).AddText("@name", name)
            .Add("@category", SqlDbType.SmallInt, (short)category).AddTime("@at", now);
        return await FirstAsync(cmd, MerchantRow, cancellationToken);
    }

    public async Task<Merchant?> FindMerchantAsync(short campus, string merchantId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_find_merchant").Add("@campus", SqlDbType.SmallInt, campus).AddText("@merchant_id", merchantId);
        return await FirstAsync(cmd, MerchantRow, cancellationToken);
    }

    private static Merchant MerchantRow(SqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), (MerchantCategory)r.GetInt16(3), r.GetDateTimeOffset(4), r.GetInt16(5));

    public async Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(
        short campus, string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_register_terminal")
            .Add("@campus", SqlDbType.SmallInt, campus).AddText("@terminal_id", terminalId).Add("@merchant_no", SqlDbType.BigInt, merchantNo)
            .AddTime("@at", now).AddText("@by", registeredBy);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
            throw new InvalidOperationException($"terminal {terminalId} vanished after its registration");
        return (TerminalRow(r), r.GetBoolean(7));
    }

    public async Task<TerminalRegistration?> RevokeTerminalAsync(short campus, string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_revoke_terminal")
            .Add("@campus", SqlDbType.SmallInt, campus).AddText("@terminal_id", terminalId).AddTime("@at", now).AddText("@by", revokedBy);
        return await FirstAsync(cmd, TerminalRow, cancellationToken);
    }

    public async Task<TerminalRegistration?> FindTerminalAsync(short campus, string terminalId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_find_terminal").Add("@campus", SqlDbType.SmallInt, campus).AddText("@terminal_id", terminalId);
        return await FirstAsync(cmd, TerminalRow, cancellationToken);
    }

    private static TerminalRegistration TerminalRow(SqlDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetDateTimeOffset(3), r.IsDBNull(4) ? null : r.GetDateTimeOffset(4),
            r.IsDBNull(5) ? null : r.GetDateTimeOffset(5), r.GetInt16(6));

    public async Task<SubsidyBatch> OpenSubsidyBatchAsync(SubsidyBatch batch, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_open_subsidy_batch")
            .Add("@campus", SqlDbType.SmallInt, batch.Campus).AddText("@batch_id", batch.BatchId).AddTime("@deadline", batch.Deadline).AddText("@memo", batch.Memo)
            .AddText("@by", batch.CreatedBy).AddTime("@at", batch.CreatedAt);
        return await FirstAsync(cmd, SubsidyBatchRow, cancellationToken)
            ?? throw new InvalidOperationException($"subsidy batch {batch.BatchId} vanished after it was recorded");
    }

    public async Task<SubsidyBatch?> FindSubsidyBatchAsync(short campus, string batchId, CancellationToken cancellationToken)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "registry_find_subsidy_batch").Add("@campus", SqlDbType.SmallInt, campus).AddText("@batch_id", batchId);
        return await FirstAsync(cmd, SubsidyBatchRow, cancellationToken);
    }

    private static SubsidyBatch SubsidyBatchRow(SqlDataReader r) =>
        new(r.GetString(0), r.GetDateTimeOffset(1), r.GetString(2), r.GetString(3), r.GetDateTimeOffset(4), r.GetInt16(5));
}
