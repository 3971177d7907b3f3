using System.Data;
using System.Globalization;
using System.Text.RegularExpressions;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal.SqlServer.Internal;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Journal.SqlServer;

/// <summary>
/// Applies the numbered scripts of sql/sqlserver in order, each once, each in its own transaction (its GO batches run
/// one after another in it), recorded in schema_migrations with a checksum. Safe to run from several processes at once
/// (an application lock serialises them) and at every start. Then writes codes and holder_fields from this build, and the
/// campus's settings from its configuration.
/// </summary>
public sealed partial class SqlServerMigrator(SqlServerDatabase database, BusinessCalendar calendar, ILogger<SqlServerMigrator> logger, DefaultCampus? defaultCampus = null)
    : IJournalMigrator
{
    public static IReadOnlyList<MigrationScript> Scripts { get; } = MigrationScript.Load(typeof(SqlServerMigrator).Assembly, "sql/sqlserver/");

    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the scripts up to and including <paramref name="throughVersion"/>.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(int throughVersion, CancellationToken cancellationToken = default)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await Execute(conn, null, Sql.Text("migrator_lock"), cancellationToken);
        try
        {
            await Execute(conn, null, Sql.Text("migrator_schema_migrations"), cancellationToken);
            var applied = await AppliedAsync(conn, cancellationToken);
            var done = new List<int>();
            foreach (var script in MigrationScript.Pending(Scripts, applied, throughVersion))
            {
                await using var tx = (SqlTransaction)await conn.BeginTransactionAsync(cancellationToken);
                foreach (var batch in Batches(script.Sql)) await Execute(conn, tx, batch, cancellationToken);
                await using (var record = Sql.Command(conn, "migrator_record", tx)
                    .Add("@version", SqlDbType.Int, script.Version).AddText("@name", script.Name).AddText("@checksum", script.Checksum))
                    await record.ExecuteNonQueryAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                Log.MigrationApplied(logger, script.Name);
                done.Add(script.Version);
            }
            await WriteCodesAsync(conn, cancellationToken);
            await WriteHolderFieldsAsync(conn, cancellationToken);
            await WriteCampusSettingsAsync(conn, calendar, cancellationToken);
            await using (var code = Sql.Command(conn, "migrator_default_campus").AddText("@code", defaultCampus?.Value ?? DefaultCampus.Code))
                await code.ExecuteNonQueryAsync(cancellationToken);
            return done;
        }
        finally
        {
            await Execute(conn, null, Sql.Text("migrator_unlock"), CancellationToken.None);
        }
    }

    public async Task<short> PlaceAsync(short number, CancellationToken cancellationToken = default)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "migrator_place_database").Add("@number", SqlDbType.SmallInt, number);
        return (short)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<short?> NumberAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await database.OpenAsync(cancellationToken);
        await using var cmd = Sql.Command(conn, "migrator_database_number");
        return await cmd.ExecuteScalarAsync(cancellationToken) as short?;
    }

    private static readonly SqlMetaData[] CodeMetadata =
        [new("type", SqlDbType.NVarChar, 64), new("code", SqlDbType.SmallInt), new("name", SqlDbType.NVarChar, 200)];

    /// <summary>The codes table from the enums, as they are in this build.</summary>
    private static async Task WriteCodesAsync(SqlConnection conn, CancellationToken ct)
    {
        if (!await PresentAsync(conn, "dbo.codes", "dbo.code_rows", ct)) return;
        var rows = new List<SqlDataRecord>();
        foreach (var (type, code, name) in CodeTable.Rows)
        {
            var record = new SqlDataRecord(CodeMetadata);
            record.SetString(0, type);
            record.SetInt16(1, code);
            record.SetString(2, name);
            rows.Add(record);
        }
        if (rows.Count == 0) return;
        await using var cmd = Sql.Command(conn, "migrator_codes").AddTable("@rows", "dbo.code_rows", rows);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static readonly SqlMetaData[] FieldMetadata =
        [new("version", SqlDbType.SmallInt), new("name", SqlDbType.NVarChar, 64), new("position", SqlDbType.SmallInt)];

    /// <summary>The holder format's fields by position, from the layouts, so SQL reads holder_after by name.</summary>
    private static async Task WriteHolderFieldsAsync(SqlConnection conn, CancellationToken ct)
    {
        if (!await PresentAsync(conn, "dbo.holder_fields", "dbo.holder_field_rows", ct)) return;
        var rows = new List<SqlDataRecord>();
        foreach (var layout in HolderFormat.Versions)
        {
            for (var position = 0; position < layout.Fields.Count; position++)
            {
                var record = new SqlDataRecord(FieldMetadata);
                record.SetInt16(0, (short)layout.Version);
                record.SetString(1, layout.Fields[position]);
                record.SetInt16(2, (short)position);
                rows.Add(record);
            }
        }
        if (rows.Count == 0) return;
        await using var cmd = Sql.Command(conn, "migrator_holder_fields").AddTable("@rows", "dbo.holder_field_rows", rows);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The campus's UTC offset (migration 004) from Engine:UtcOffset, as SWITCHOFFSET takes it: "+08:00".</summary>
    private static async Task WriteCampusSettingsAsync(SqlConnection conn, BusinessCalendar calendar, CancellationToken ct)
    {
        var offset = (calendar.UtcOffset < TimeSpan.Zero ? "-" : "+") + calendar.UtcOffset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        await using var cmd = Sql.Command(conn, "migrator_campus_settings").AddText("@utc_offset", offset);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<bool> PresentAsync(SqlConnection conn, string table, string type, CancellationToken ct)
    {
        await using var cmd = Sql.Command(conn, "migrator_has_table_and_type").AddText("@table", table).AddText("@type", type);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(SqlConnection conn, CancellationToken ct)
    {
        var result = new Dictionary<int, string>();
        await using var cmd = Sql.Command(conn, "migrator_applied");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result[reader.GetInt32(0)] = reader.GetString(1);
        return result;
    }

    private static async Task Execute(SqlConnection conn, SqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new SqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The batches of a script: GO is not T-SQL but the client tools' separator, so the script is split on lines that
    /// hold only GO (sqlcmd's rule, without its repeat count); empty batches are dropped.
    /// </summary>
    public static IReadOnlyList<string> Batches(string sql) =>
        [.. GoLine().Split(sql.ReplaceLineEndings("\n")).Where(b => !string.IsNullOrWhiteSpace(StripComments(b)))];

    [GeneratedRegex(@"^[ \t]*GO[ \t]*;?[ \t]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();

    private static string StripComments(string batch) =>
        string.Join("\n", batch.Split('\n').Select(l => l.TrimStart()).Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
}
