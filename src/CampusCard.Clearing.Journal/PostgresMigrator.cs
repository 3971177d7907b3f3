using Microsoft.Extensions.Logging;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Domain.Ports;
using Npgsql;

namespace CampusCard.Clearing.Journal;

/// <summary>
/// Applies the numbered scripts of sql/postgres in order, each once, each in its own transaction,
/// recorded in schema_migrations. Safe to run from several processes at once (an advisory lock
/// serialises them) and at every start. Then writes codes, holder_fields and the campus's settings from this build and
/// its configuration.
/// </summary>
public sealed class PostgresMigrator(NpgsqlDataSource dataSource, BusinessCalendar calendar, ILogger<PostgresMigrator> logger, DefaultCampus? defaultCampus = null)
    : IJournalMigrator
{
    private const long LockKey = 0x43_43_4A_4E_4C; // "CCJNL"

    public static IReadOnlyList<MigrationScript> Scripts { get; } = MigrationScript.Load(typeof(PostgresMigrator).Assembly, "sql/postgres/");

    /// <returns>The versions applied by this call.</returns>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the scripts up to and including <paramref name="throughVersion"/>.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(int throughVersion, CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(conn, "SELECT pg_advisory_lock(@k)", cancellationToken, ("k", LockKey));
        try
        {
            await Execute(conn, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var applied = await AppliedAsync(conn, cancellationToken);
            var done = new List<int>();
            foreach (var script in MigrationScript.Pending(Scripts, applied, throughVersion))
            {
                await using var tx = await conn.BeginTransactionAsync(cancellationToken);
                await Execute(conn, script.Sql, cancellationToken);
                await Execute(conn, "INSERT INTO schema_migrations (version, name, checksum) VALUES (@v, @n, @c)",
                    cancellationToken, ("v", script.Version), ("n", script.Name), ("c", script.Checksum));
                await tx.CommitAsync(cancellationToken);
                Log.MigrationApplied(logger, script.Name);
                done.Add(script.Version);
            }
            await WriteCodesAsync(conn, cancellationToken);
            await WriteHolderFieldsAsync(conn, cancellationToken);
            await WriteCampusSettingsAsync(conn, calendar, cancellationToken);
            await WriteDefaultCampusAsync(conn, defaultCampus?.Value ?? DefaultCampus.Code, cancellationToken);
            return done;
        }
        finally
        {
            await Execute(conn, "SELECT pg_advisory_unlock(@k)", CancellationToken.None, ("k", LockKey));
        }
    }

    public async Task<short> PlaceAsync(short number, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand("SELECT place_journal_database($1)");
        cmd.Parameters.Add(new NpgsqlParameter<short> { TypedValue = number });
        return (short)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<short?> NumberAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await ExistsAsync(conn, "journal_database", cancellationToken)) return null;
        await using var cmd = new NpgsqlCommand("SELECT number FROM journal_database", conn);
        return await cmd.ExecuteScalarAsync(cancellationToken) as short?;
    }

    /// <summary>The codes table (migration 009) from the enums, as they are in this build.</summary>
    private static async Task WriteCodesAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        if (!await ExistsAsync(conn, "codes", ct)) return;
        var rows = CodeTable.Rows.ToArray();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO codes (type, code, name) SELECT * FROM unnest(@t, @c, @n)
            ON CONFLICT (type, code) DO UPDATE SET name = excluded.name WHERE codes.name <> excluded.name
            """, conn);
        cmd.Parameters.AddWithValue("t", rows.Select(r => r.Type).ToArray());
        cmd.Parameters.AddWithValue("c", rows.Select(r => r.Code).ToArray());
        cmd.Parameters.AddWithValue("n", rows.Select(r => r.Name).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The holder format's fields by position (migration 011), from the layouts, so SQL reads holder_after by name.</summary>
    private static async Task WriteHolderFieldsAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        if (!await ExistsAsync(conn, "holder_fields", ct)) return;
        var rows = HolderFormat.Versions.SelectMany(l => l.Fields.Select((name, position) => (Version: (short)l.Version, Name: name, Position: (short)position))).ToArray();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO holder_fields (version, name, position) SELECT * FROM unnest(@v, @n, @p)
            ON CONFLICT (version, name) DO UPDATE SET position = excluded.position WHERE holder_fields.position <> excluded.position
            """, conn);
        cmd.Parameters.AddWithValue("v", rows.Select(r => r.Version).ToArray());
        cmd.Parameters.AddWithValue("n", rows.Select(r => r.Name).ToArray());
        cmd.Parameters.AddWithValue("p", rows.Select(r => r.Position).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The default campus's UTC offset (migration 012) from Engine:UtcOffset, so the finance views show its local times;
    /// its row's key is campus_no from migration 015 on.
    /// </summary>
    private static async Task WriteCampusSettingsAsync(NpgsqlConnection conn, BusinessCalendar calendar, CancellationToken ct)
    {
        if (!await ExistsAsync(conn, "campus_settings", ct)) return;
        var key = await ExistsAsync(conn, "campuses", ct) ? "campus_no" : "id";
        await Execute(conn, $"""
            INSERT INTO campus_settings ({key}, utc_offset) VALUES (1, @offset)
            ON CONFLICT ({key}) DO UPDATE SET utc_offset = excluded.utc_offset WHERE campus_settings.utc_offset <> excluded.utc_offset
            """, ct, ("offset", calendar.UtcOffset));
    }

    /// <summary>Campus 1's code (migration 015) from Campuses:Default.</summary>
    private static async Task WriteDefaultCampusAsync(NpgsqlConnection conn, string code, CancellationToken ct)
    {
        if (!await ExistsAsync(conn, "campuses", ct)) return;
        await Execute(conn, "UPDATE campuses SET code = @code WHERE campus_no = 1 AND code <> @code", ct, ("code", code));
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection conn, string table, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", conn);
        cmd.Parameters.AddWithValue("t", table);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var result = new Dictionary<int, string>();
        await using var cmd = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetInt32(0)] = reader.GetString(1);
        return result;
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
