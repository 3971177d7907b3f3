using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Npgsql;

namespace CampusCard.Clearing.Journal;

public sealed class PostgresRegistry(NpgsqlDataSource dataSource) : IRegistry
{
    private const string HolderColumns = "id, person_no, name, card_type, card_issue, card_state, opened_at";

    public async Task<Holder?> OpenHolderAsync(string personNo, string name, CardType cardType, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"""
            WITH holder AS (
                INSERT INTO holders (person_no, name, card_type, opened_at) VALUES (@p, @n, @t, @at)
                ON CONFLICT (person_no) DO NOTHING RETURNING {HolderColumns}),
            opened AS (
                INSERT INTO accounts (kind, owner, name, opened_at)
                SELECT k, holder.id, holder.person_no || ' ' || label, @at
                  FROM holder, (VALUES (1::smallint, 'purse'), (2::smallint, 'e-wallet'), (3::smallint, 'pending')) AS a (k, label))
            SELECT {HolderColumns} FROM holder
            """, conn, tx);
        cmd.Parameters.AddWithValue("p", personNo);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("t", (short)cardType);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        var holder = await ReadHolderAsync(cmd, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return holder;
    }

    public Task<Holder?> FindHolderAsync(string personNo, CancellationToken cancellationToken) =>
        QueryHolderAsync("person_no = @k", personNo, cancellationToken);

    public Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken) =>
        QueryHolderAsync("id = @k", holderId, cancellationToken);

    private async Task<Holder?> QueryHolderAsync(string where, object key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {HolderColumns} FROM holders WHERE {where}");
        cmd.Parameters.AddWithValue("k", key);
        return await ReadHolderAsync(cmd, ct);
    }

    private static async Task<Holder?> ReadHolderAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new Holder(r.GetInt64(0), r.GetString(1), r.GetString(2), (CardType)r.GetInt16(3), r.GetInt16(4),
            (CardState)r.GetInt16(5), r.GetFieldValue<DateTimeOffset>(6));
    }

    public async Task<Merchant?> OpenMerchantAsync(string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH merchant AS (
                INSERT INTO merchants (merchant_id, name, category, opened_at) VALUES (@m, @n, @c, @at)
                ON CONFLICT (merchant_id) DO NOTHING RETURNING no, merchant_id, name, category, opened_at),
            opened AS (
                INSERT INTO accounts (kind, owner, name, opened_at) SELECT 4, no, 'merchant ' || merchant_id, @at FROM merchant)
            SELECT no, merchant_id, name, category, opened_at FROM merchant
            """);
        cmd.Parameters.AddWithValue("m", merchantId);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("c", (short)category);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        return await ReadMerchantAsync(cmd, cancellationToken);
    }

    public async Task<Merchant?> FindMerchantAsync(string merchantId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT no, merchant_id, name, category, opened_at FROM merchants WHERE merchant_id = @m");
        cmd.Parameters.AddWithValue("m", merchantId);
        return await ReadMerchantAsync(cmd, cancellationToken);
    }

    private static async Task<Merchant?> ReadMerchantAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new Merchant(r.GetInt64(0), r.GetString(1), r.GetString(2), (MerchantCategory)r.GetInt16(3), r.GetFieldValue<DateTimeOffset>(4));
    }

    private const string TerminalColumns = "t.terminal_id, t.merchant_no, m.merchant_id, t.registered_at, t.revoked_at";

    public async Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(
        string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO terminals (terminal_id, merchant_no, registered_at, registered_by) VALUES (@t, @m, @at, @by)
            ON CONFLICT (terminal_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue("t", terminalId);
        insert.Parameters.AddWithValue("m", merchantNo);
        insert.Parameters.AddWithValue("at", now.ToUniversalTime());
        insert.Parameters.AddWithValue("by", registeredBy);
        var created = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        var registration = await FindTerminalAsync(terminalId, cancellationToken)
            ?? throw new InvalidOperationException($"terminal {terminalId} vanished after its registration");
        return (registration, created);
    }

    public async Task<TerminalRegistration?> RevokeTerminalAsync(string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE terminals SET revoked_at = @at, revoked_by = @by WHERE terminal_id = @t AND revoked_at IS NULL");
        cmd.Parameters.AddWithValue("t", terminalId);
        cmd.Parameters.AddWithValue("at", now.ToUniversalTime());
        cmd.Parameters.AddWithValue("by", revokedBy);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return await FindTerminalAsync(terminalId, cancellationToken);
    }

    public async Task<TerminalRegistration?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {TerminalColumns} FROM terminals t JOIN merchants m ON m.no = t.merchant_no WHERE t.terminal_id = @t");
        cmd.Parameters.AddWithValue("t", terminalId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken)) return null;
        return new TerminalRegistration(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
            r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4));
    }
}
