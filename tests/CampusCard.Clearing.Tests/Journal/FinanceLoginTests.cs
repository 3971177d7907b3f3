using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Npgsql;
using static CampusCard.Clearing.Tests.Infrastructure.FinanceLoginScript;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// scripts/finance-login.sh against the real PostgreSQL, over a journal with a few transactions: the login reads every
/// view (and the functions they call), whole no table but the lookup tables, of the tables the views read (with their
/// caller's rights, migration 016) only the columns they read, and writes nothing even in a read-write transaction.
/// The test server trusts local connections, so the password is checked through its SCRAM verifier. What a login of one
/// campus reads of another's: CampusRowSecurityTests.
/// </summary>
public class FinanceLoginTests : ServiceTestBase
{
    private const string Password = "correct-horse-battery";
    private static readonly string[] LookupTables = ["campus_settings", "codes", "finance_logins", "holder_fields"];
    private static readonly string[] ViewedTables = ["accounts", "campuses", "holders", "merchants", "subsidy_batches", "transactions"];
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
        await FinanceLoginScript.DropLoginAsync(LocalServers.JournalConnectionString, _login);
    }

    [Fact]
    public async Task The_login_reads_every_view_and_of_a_journal_table_at_most_the_columns_the_views_read_and_writes_nothing()
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
        Assert.Equal(LookupTables.Concat(ViewedTables).Order(), (await NamesAsync(
            $"SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND has_any_column_privilege('{_login}', oid, 'SELECT')")).Order());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await RefusalAsync(login, "SELECT id_number_hash FROM holders"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await RefusalAsync(login, "SELECT count(*) FROM secrets"));
        Assert.Equal(1L, await ScalarAsync(login, "SELECT count(person_no) FROM holders"));

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

    [Fact]
    public async Task A_login_of_a_campus_that_is_not_there_is_refused_and_a_login_moves_to_another_campus_when_asked()
    {
        var nowhere = await RunAsync(Password, "--campus", "nowhere", "--password-stdin", _login);

        Assert.Equal(1, nowhere.ExitCode);
        Assert.Contains("no campus nowhere here (campuses: default)", nowhere.Stderr);
        Assert.Equal(0L, await Database.ScalarAsync<long>($"SELECT count(*) FROM pg_roles WHERE rolname = '{_login}'"));

        var campus = await RunAsync(Password, "--campus", "default", "--password-stdin", _login);
        var campusNo = await Database.ScalarAsync<string>($"SELECT coalesce(campus_no::text, 'every') FROM finance_logins WHERE login = '{_login}'");
        var vendor = await RunAsync(null, "--keep-password", _login);

        Assert.Equal((0, 0), (campus.ExitCode, vendor.ExitCode));
        Assert.Equal("1", campusNo);
        Assert.Equal("every", await Database.ScalarAsync<string>($"SELECT coalesce(campus_no::text, 'every') FROM finance_logins WHERE login = '{_login}'"));
        Assert.Contains("every campus's rows (a vendor's login)", vendor.Stderr);
    }

    /// <summary>Makes the login (a vendor's: it reads every campus) with <see cref="Password"/>; its connections.</summary>
    private Task<NpgsqlDataSource> CreateLoginAsync() => FinanceLoginScript.CreateLoginAsync(Database.ConnectionString, _login, Password);

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args) =>
        FinanceLoginScript.RunAsync(Database.ConnectionString, stdin, args);

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
}
