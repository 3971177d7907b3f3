using CampusCard.Clearing.Journal;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CampusCard.Clearing.Testing;

/// <summary>A fresh, migrated PostgreSQL database, dropped afterwards.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<ScratchDatabase> CreateAsync(bool migrate = true)
    {
        var name = $"t_{Guid.NewGuid():N}"[..14];
        await AdminAsync($"CREATE DATABASE {name}");
        var builder = LocalServers.JournalBuilder();
        builder.Database = name;
        var db = new ScratchDatabase(name, builder.ConnectionString);
        if (migrate) await new PostgresMigrator(db.DataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync();
        return db;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Takes the database away from every client (and cuts the open connections), or gives it back.</summary>
    public async Task SetReachableAsync(bool reachable)
    {
        await AdminAsync($"ALTER DATABASE {Name} WITH ALLOW_CONNECTIONS {reachable}");
        if (!reachable) await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}'");
    }

    /// <summary>Makes the journal refuse every new transaction (a failing disk, say), while it still answers reads; or stops.</summary>
    public Task RefuseJournalWritesAsync(bool refuse) => ExecuteAsync(refuse
        ? "ALTER TABLE transactions ADD CONSTRAINT test_refuses_writes CHECK (false) NOT VALID"
        : "ALTER TABLE transactions DROP CONSTRAINT test_refuses_writes");

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(LocalServers.JournalConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
