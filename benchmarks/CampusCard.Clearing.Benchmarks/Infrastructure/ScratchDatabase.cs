using Npgsql;

namespace CampusCard.Clearing.Benchmarks.Infrastructure;

/// <summary>An empty PostgreSQL database of a benchmark's own, dropped afterwards.</summary>
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

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var name = $"bench_{Guid.NewGuid():N}"[..18];
        await AdminAsync($"CREATE DATABASE {name}");
        var builder = Servers.JournalBuilder();
        builder.Database = name;
        return new ScratchDatabase(name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Servers.JournalConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
