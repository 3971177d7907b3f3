using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Journal;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CampusCard.Clearing.Testing;

/// <summary>A fresh, migrated PostgreSQL database, dropped afterwards.</summary>
public sealed class ScratchDatabase : ScratchJournal
{
    private readonly string _server;

    private ScratchDatabase(string name, string server, string connectionString, NpgsqlDataSource dataSource)
        : base("Postgres", connectionString, dataSource, new PostgresJournal(dataSource, NullLogger<PostgresJournal>.Instance),
            new PostgresRegistry(dataSource), new PostgresMigrator(dataSource, BusinessCalendar.ChinaStandardTime, NullLogger<PostgresMigrator>.Instance), PostgresMigrator.Scripts.Count)
    {
        Name = name;
        _server = server;
        DataSource = dataSource;
    }

    public string Name { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <param name="server">A connection string to the server to create it on; the one every test shares when null.</param>
    public static async Task<ScratchDatabase> CreateAsync(bool migrate = true, string? server = null)
    {
        server ??= LocalServers.JournalConnectionString;
        var name = $"t_{Guid.NewGuid():N}"[..14];
        await AdminAsync(server, $"CREATE DATABASE {name}");
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        var db = new ScratchDatabase(name, server, builder.ConnectionString, NpgsqlDataSource.Create(builder.ConnectionString));
        if (migrate) await db.Migrator.MigrateAsync();
        return db;
    }

    public override Task InsertChangedCopyOfLastTransactionAsync(string assignments, string? requestId = null) => ExecuteAsync($"""
        CREATE TEMP TABLE copy ON COMMIT DROP AS SELECT * FROM transactions WHERE {CopiedRow(requestId)} ORDER BY decided_at DESC, id DESC LIMIT 1;
        UPDATE copy SET id = ((SELECT max(id) FROM transactions) / {Slots} + 1) * {Slots} + id % {Slots}, request_id = concat(request_id, '-copy');
        {(assignments.Length > 0 ? $"UPDATE copy SET {assignments};" : "")}
        INSERT INTO transactions SELECT * FROM copy;
        """);

    public override SchemaRefusal? RefusalOf(Exception exception) => exception is PostgresException e
        ? new SchemaRefusal(e.SqlState switch
        {
            PostgresErrorCodes.CheckViolation => RefusalRule.Check,
            PostgresErrorCodes.ForeignKeyViolation => RefusalRule.Reference,
            PostgresErrorCodes.UniqueViolation => RefusalRule.Unique,
            _ => RefusalRule.Other,
        }, e.ConstraintName ?? "", e.MessageText)
        : null;

    /// <summary>Takes the database away from every client (and cuts the open connections), or gives it back.</summary>
    public async Task SetReachableAsync(bool reachable)
    {
        await AdminAsync(_server, $"ALTER DATABASE {Name} WITH ALLOW_CONNECTIONS {reachable}");
        if (!reachable) await AdminAsync(_server, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}'");
    }

    /// <summary>Makes the journal refuse every new transaction (a failing disk, say), while it still answers reads; or stops.</summary>
    public Task RefuseJournalWritesAsync(bool refuse) => ExecuteAsync(refuse
        ? "ALTER TABLE transactions ADD CONSTRAINT test_refuses_writes CHECK (false) NOT VALID"
        : "ALTER TABLE transactions DROP CONSTRAINT test_refuses_writes");

    public override async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await AdminAsync(_server, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task AdminAsync(string server, string sql)
    {
        await using var conn = new NpgsqlConnection(server);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
