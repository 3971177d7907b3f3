using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>scripts/finance-login.sh against a journal database, and what its logins read.</summary>
public static class FinanceLoginScript
{
    /// <summary>Runs the script as the database's administrator, with <paramref name="stdin"/> as its standard input.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string connectionString, string? stdin, params string[] args)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(ExternalClient.RepositoryRoot, "scripts", "finance-login.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PGHOST"] = database.Host;
        start.Environment["PGPORT"] = database.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = database.Username;
        start.Environment["PGDATABASE"] = database.Database;
        using var process = Process.Start(start)!;
        try
        {
            if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // A script that refuses its arguments exits before it reads its input: the pipe is closed, the input moot.
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Makes the login with <paramref name="password"/> (and <paramref name="options"/>, such as --campus CODE); its connections.</summary>
    public static async Task<NpgsqlDataSource> CreateLoginAsync(string connectionString, string login, string password, params string[] options)
    {
        var run = await RunAsync(connectionString, password, [.. options, "--password-stdin", login]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stdout);
        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Username = login, Password = password, Pooling = false });
    }

    public static async Task<object?> ScalarAsync(NpgsqlDataSource source, string sql)
    {
        await using var cmd = source.CreateCommand(sql);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>The SQLSTATE that refused the statement; null when it ran.</summary>
    public static async Task<string?> RefusalAsync(NpgsqlDataSource source, string sql)
    {
        try
        {
            await ScalarAsync(source, sql);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    /// <summary>Drops a login the script made, on the server of <paramref name="connectionString"/> (roles are the server's, not a database's).</summary>
    public static async Task DropLoginAsync(string connectionString, string login)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP ROLE IF EXISTS {login}", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
