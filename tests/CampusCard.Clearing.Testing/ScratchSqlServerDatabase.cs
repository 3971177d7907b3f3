using System.Text.RegularExpressions;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Journal.SqlServer;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;

namespace CampusCard.Clearing.Testing;

/// <summary>
/// A fresh, migrated SQL Server database on the server CC_SQLSERVER_CONNECTION names (its login may create databases),
/// made as docs/sqlserver.md says (a _BIN2 collation, snapshot isolation allowed, read committed snapshot), dropped afterwards.
/// </summary>
public sealed class ScratchSqlServerDatabase : ScratchJournal
{
    public const string Variable = "CC_SQLSERVER_CONNECTION";

    /// <summary>The server's connection string, or null when this machine has none.</summary>
    public static string? ServerConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string SkipReason => $"SQL Server not configured: set {Variable}";

    private ScratchSqlServerDatabase(string name, string connectionString, SqlServerDatabase database)
        : base("SqlServer", connectionString, SqlClientFactory.Instance.CreateDataSource(connectionString),
            new SqlServerJournal(database, NullLogger<SqlServerJournal>.Instance), new SqlServerRegistry(database),
            new SqlServerMigrator(database, BusinessCalendar.ChinaStandardTime, NullLogger<SqlServerMigrator>.Instance), SqlServerMigrator.Scripts.Count)
    {
        Name = name;
    }

    public string Name { get; }

    public static async Task<ScratchSqlServerDatabase> CreateAsync(bool migrate = true)
    {
        var server = ServerConnectionString ?? throw new InvalidOperationException(SkipReason);
        var name = $"cc_t_{Guid.NewGuid():N}"[..17];
        await AdminAsync($"""
            CREATE DATABASE [{name}] COLLATE Latin1_General_100_BIN2;
            ALTER DATABASE [{name}] SET ALLOW_SNAPSHOT_ISOLATION ON;
            ALTER DATABASE [{name}] SET READ_COMMITTED_SNAPSHOT ON;
            """);
        var connectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
        var db = new ScratchSqlServerDatabase(name, connectionString, new SqlServerDatabase(connectionString));
        if (migrate) await db.Migrator.MigrateAsync();
        return db;
    }

    public override Task InsertChangedCopyOfLastTransactionAsync(string assignments, string? requestId = null) => ExecuteAsync($"""
        SELECT TOP (1) * INTO #copy FROM dbo.transactions WHERE {CopiedRow(requestId)} ORDER BY decided_at DESC, id DESC;
        UPDATE #copy SET id = ((SELECT max(id) FROM dbo.transactions) / {Slots} + 1) * {Slots} + id % {Slots}, request_id = concat(request_id, '-copy');
        {(assignments.Length > 0 ? $"UPDATE #copy SET {assignments};" : "")}
        INSERT INTO dbo.transactions SELECT * FROM #copy;
        """);

    /// <summary>547: a CHECK or FOREIGN KEY constraint; 2601/2627: a unique index or key; 51002: the chart-of-accounts trigger.</summary>
    public override SchemaRefusal? RefusalOf(Exception exception) => exception is SqlException e
        ? new SchemaRefusal(e.Number switch
        {
            547 when e.Message.Contains("CHECK constraint", StringComparison.Ordinal) => RefusalRule.Check,
            547 or 51002 => RefusalRule.Reference,
            2601 or 2627 => RefusalRule.Unique,
            _ => RefusalRule.Other,
        }, ConstraintIn(e.Message), e.Message)
        : null;

    /// <summary>The name SQL Server's message quotes: 'conflicted with the CHECK constraint "x"', 'with unique index 'x''.</summary>
    private static string ConstraintIn(string message) =>
        Regex.Match(message, """(?:constraint|index) ["']([^"']+)["']""") is { Success: true } m ? m.Groups[1].Value : "";

    public override async ValueTask DisposeAsync()
    {
        SqlConnection.ClearAllPools();
        await AdminAsync($"ALTER DATABASE [{Name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{Name}];");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var conn = new SqlConnection(new SqlConnectionStringBuilder(ServerConnectionString) { InitialCatalog = "master" }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new SqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
