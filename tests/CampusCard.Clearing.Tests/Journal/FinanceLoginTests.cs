using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Npgsql;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// scripts/finance-login.sh against the real PostgreSQL, over a journal with a few transactions: the login reads every
/// view (and the functions they call) and no table but the three lookup tables, and writes nothing even in a read-write
/// transaction. The test server trusts local connections, so the password is checked through its SCRAM verifier.
/// </summary>
public class FinanceLoginTests : ServiceTestBase
{
    private const string Password = "correct-horse-battery";
    private static readonly string[] LookupTables = ["campus_settings", "codes", "holder_fields"];
    private readonly string _login = $"fin_{Guid.NewGuid():N}"[..16];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var canteen = await OpenMerchantAsync();
        var account = await OpenFundedAccountAsync(5_000);
        await DebitAsync(Debit(account, canteen, 1_200));
        await AssertInvariantsAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await AdminAsync($"DROP ROLE IF EXISTS {_login}");
    }

    [Fact]
    public async Task The_login_reads_every_view_and_no_journal_table_and_writes_nothing()
    {
        // A role that had more is brought down to the finance rights.
        await Database.ExecuteAsync($"CREATE ROLE {_login} LOGIN; GRANT SELECT, INSERT ON secrets, transactions TO {_login}");

        await using var login = await CreateLoginAsync();

        await AssertVerifierOfAsync(Password);
        var views = await NamesAsync("SELECT viewname FROM pg_views WHERE schemaname = 'public'");
        var tables = (await NamesAsync("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).Except(LookupTables).ToList();
        Assert.Contains("refunds_payable_by_person", views);
        Assert.Contains("transactions", tables);
        Assert.Contains("secrets", tables);

        foreach (var view in views) await ScalarAsync(login, $"SELECT count(*) FROM (SELECT * FROM {view}) v");
        Assert.Equal(await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"), await ScalarAsync(login, "SELECT count(*) FROM journal WHERE kind IS NOT NULL"));
        Assert.Equal(1L, await ScalarAsync(login, "SELECT count(*) FROM cardholder_states WHERE state = 'active'"));
        Assert.Equal(-5_000L, await ScalarAsync(login, "SELECT account_balance_at(5::smallint, 5, campus_instant(campus_now()))"));
        Assert.Equal("on", await ScalarAsync(login, "SHOW default_transaction_read_only"));

        var readable = new List<string>();
        foreach (var table in tables)
        {
            if (await RefusalAsync(login, $"SELECT * FROM {table} LIMIT 1") != PostgresErrorCodes.InsufficientPrivilege) readable.Add(table);
        }
        Assert.True(readable.Count == 0, $"the finance login reads {string.Join(", ", readable)}");

        foreach (var write in new[] { "INSERT INTO codes VALUES ('test', 1, 'x')", "UPDATE campus_settings SET utc_offset = '00:00'", "DELETE FROM holders", "INSERT INTO transactions (id) VALUES (1)" })
        {
            Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, await RefusalAsync(login, write));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await RefusalAsync(login, $"BEGIN READ WRITE; {write}; COMMIT"));
        }
    }

    [Fact]
    public async Task Every_query_of_the_finance_docs_runs_as_the_finance_login()
    {
        var docs = await File.ReadAllTextAsync(Path.Combine(ExternalClient.RepositoryRoot, "docs", "finance.md"));
        var queries = Regex.Matches(docs, "```sql\n(.*?)```", RegexOptions.Singleline)
            .Concat(Regex.Matches(docs, "`(SELECT [^`]+)`"))
            .Select(m => m.Groups[1].Value).ToList();
        await using var login = await CreateLoginAsync();

        var failures = new List<string>();
        foreach (var query in queries)
        {
            try { await ScalarAsync(login, query); }
            catch (PostgresException e) { failures.Add($"{query}: {e.MessageText}"); }
        }

        Assert.True(queries.Count >= 15, $"found only {queries.Count} queries");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_generated_password_is_printed_once_and_an_existing_login_keeps_it_when_asked()
    {
        var created = await RunAsync(null, _login);

        Assert.True(created.ExitCode == 0, created.Stderr);
        var password = Assert.Single(created.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(password.Length >= 20, password);
        await AssertVerifierOfAsync(password);
        var verifier = await VerifierAsync();

        var kept = await RunAsync(null, "--keep-password", _login);
        var tooShort = await RunAsync("short", "--password-stdin", _login);

        Assert.Equal((0, ""), (kept.ExitCode, kept.Stdout));
        Assert.Equal(1, tooShort.ExitCode);
        Assert.Contains("at least 12 printable ASCII characters", tooShort.Stderr);
        Assert.Equal(verifier, await VerifierAsync());
    }

    [Fact]
    public async Task A_name_that_is_no_plain_SQL_name_or_a_role_that_may_do_more_than_read_is_refused()
    {
        var odd = await RunAsync(Password, "--password-stdin", "fin'; DROP TABLE codes; --");
        await Database.ExecuteAsync($"CREATE ROLE {_login} LOGIN CREATEDB");
        var privileged = await RunAsync(Password, "--password-stdin", _login);

        Assert.Equal(1, odd.ExitCode);
        Assert.Contains("must be a lower-case SQL name", odd.Stderr);
        Assert.Equal(1, privileged.ExitCode);
        Assert.Contains("may do more than read", privileged.Stderr);
        Assert.Equal(0L, await Database.ScalarAsync<long>($"SELECT count(*) FROM pg_authid WHERE rolname = '{_login}' AND rolpassword IS NOT NULL"));
    }

    /// <summary>Runs the script with <see cref="Password"/> on standard input; the login's connections.</summary>
    private async Task<NpgsqlDataSource> CreateLoginAsync()
    {
        var run = await RunAsync(Password, "--password-stdin", _login);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stdout);
        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Username = _login, Password = Password, Pooling = false });
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        var database = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(ExternalClient.RepositoryRoot, "scripts", "finance-login.sh"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PGHOST"] = database.Host;
        start.Environment["PGPORT"] = database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = database.Username;
        start.Environment["PGDATABASE"] = database.Database;
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private Task<string> VerifierAsync() => Database.ScalarAsync<string>($"SELECT rolpassword FROM pg_authid WHERE rolname = '{_login}'");

    /// <summary>The stored SCRAM-SHA-256 verifier (iterations:salt$StoredKey:ServerKey, RFC 7677) is the password's.</summary>
    private async Task AssertVerifierOfAsync(string password)
    {
        var parts = (await VerifierAsync()).Split('$', ':');
        Assert.Equal("SCRAM-SHA-256", parts[0]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), int.Parse(parts[1]), HashAlgorithmName.SHA256, 32);
        Assert.Equal(parts[3], Convert.ToBase64String(SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8))));
        Assert.Equal(parts[4], Convert.ToBase64String(HMACSHA256.HashData(salted, "Server Key"u8)));
    }

    private async Task<List<string>> NamesAsync(string sql) => [.. (await Database.RowsAsync(sql)).Select(row => (string)row[0])];

    private static async Task<object?> ScalarAsync(NpgsqlDataSource source, string sql)
    {
        await using var cmd = source.CreateCommand(sql);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>The SQLSTATE that refused the statement; null when it ran.</summary>
    private static async Task<string?> RefusalAsync(NpgsqlDataSource source, string sql)
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

    private static async Task AdminAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(LocalServers.JournalConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
