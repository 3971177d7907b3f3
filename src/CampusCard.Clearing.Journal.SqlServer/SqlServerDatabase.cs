using Microsoft.Data.SqlClient;

namespace CampusCard.Clearing.Journal.SqlServer;

/// <summary>Where the SQL Server journal is (ConnectionStrings:Journal); connections come from SqlClient's pool.</summary>
public sealed class SqlServerDatabase(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public async Task<SqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var conn = new SqlConnection(ConnectionString);
        try
        {
            await conn.OpenAsync(cancellationToken);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }
}
