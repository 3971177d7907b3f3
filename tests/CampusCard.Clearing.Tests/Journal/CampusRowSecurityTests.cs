using Npgsql;
using static CampusCard.Clearing.Tests.Infrastructure.FinanceLoginScript;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// Finance per campus (migration 016, docs/finance.md): over the journal of two campuses of <see cref="TwoCampusFinance"/>,
/// a campus's finance login reads only its campus's rows in every view, and in the tables it may read, and nothing of
/// the other campus even when a query names it; a vendor's login reads both, each campus's trial balance summing to zero;
/// a login listed nowhere reads nothing.
/// </summary>
public class CampusRowSecurityTests(TwoCampusFinance journal) : IClassFixture<TwoCampusFinance>
{
    /// <summary>The views that name the campus of each row (their column campus).</summary>
    private async Task<List<string>> ViewsWithCampusAsync()
    {
        var views = (await journal.Database.RowsAsync("""
            SELECT c.table_name FROM information_schema.columns c JOIN pg_views v ON v.viewname = c.table_name AND v.schemaname = c.table_schema
             WHERE c.table_schema = 'public' AND c.column_name = 'campus' ORDER BY 1
            """)).Select(row => (string)row[0]).ToList();
        Assert.Superset(new HashSet<string> { "journal", "merchant_days", "settlements", "trial_balance_by_campus", "cardholder_float", "offline_records_refused" }, views.ToHashSet());
        return views;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource login, string sql) => (long)(await ScalarAsync(login, sql))!;

    private static async Task<string?> TextAsync(NpgsqlDataSource login, string sql) => (string?)await ScalarAsync(login, sql);

    [Fact]
    public async Task A_campus_login_reads_only_its_campus_rows_in_every_view_and_table()
    {
        foreach (var (login, campus) in new[] { (journal.Default, "default"), (journal.North, "north") })
        {
            foreach (var view in await ViewsWithCampusAsync())
            {
                Assert.True(await CountAsync(login, $"SELECT count(*) FROM {view} WHERE campus = '{campus}'") > 0, $"{campus} reads no row of {view}");
                Assert.True(await CountAsync(login, $"SELECT count(*) FROM {view} WHERE campus <> '{campus}'") == 0, $"{campus} reads another campus's rows of {view}");
            }
            Assert.Equal(7L, await CountAsync(login, "SELECT count(*) FROM transactions"));
            Assert.Equal(1L, await CountAsync(login, "SELECT count(*) FROM holders"));
            Assert.Equal(1L, await CountAsync(login, "SELECT count(*) FROM campuses"));
            Assert.Equal(12L, await CountAsync(login, "SELECT count(*) FROM postings"));
        }

        // The views without a campus column read the login's campus's legs: its share of the shared system accounts.
        Assert.Equal("-8800 -300 500 8300", await TextAsync(journal.Default, SystemBalances));
        Assert.Equal("-17600 -600 1000 16600", await TextAsync(journal.North, SystemBalances));
        Assert.Equal(-8_800L, await ScalarAsync(journal.Default, "SELECT account_balance_at(5::smallint, 1, now())"));
        Assert.Equal(-17_600L, await ScalarAsync(journal.North, "SELECT account_balance_at(5::smallint, 1, now())"));
        Assert.Equal(0L, await CountAsync(journal.Default, "SELECT sum(balance_fen)::bigint FROM trial_balance"));
        Assert.Equal(0L, await CountAsync(journal.North, "SELECT sum(balance_fen)::bigint FROM trial_balance_by_kind"));

        // Each login's clock is its campus's.
        Assert.Equal("08:00:00", await TextAsync(journal.Default, "SELECT campus_utc_offset()::text"));
        Assert.Equal("-05:00:00", await TextAsync(journal.North, "SELECT campus_utc_offset()::text"));
        Assert.Equal("2026-05-31 23:02:00", await TextAsync(journal.North, "SELECT decided_at::text FROM journal WHERE kind = 'debit'"));
    }

    /// <summary>Bank clearing, subsidy fund, fee income and refunds payable (suspense has no legs).</summary>
    private const string SystemBalances = "SELECT string_agg(balance_fen::text, ' ' ORDER BY owner) FROM account_balances WHERE kind = 5";

    [Fact]
    public async Task A_query_naming_another_campus_person_merchant_or_account_returns_nothing()
    {
        var others = new[]
        {
            "SELECT count(*) FROM journal WHERE person_no = 'B-1' OR holder_name = 'Han Meimei' OR merchant_name = 'Canteen B'",
            "SELECT count(*) FROM merchant_days WHERE merchant_name = 'Canteen B'",
            "SELECT count(*) FROM settlements WHERE merchant_name = 'Canteen B'",
            "SELECT count(*) FROM cardholder_states WHERE person_no = 'B-1'",
            "SELECT count(*) FROM refunds_payable_by_person WHERE person_no = 'B-1'",
            "SELECT count(*) FROM audit WHERE person_no = 'B-1'",
            "SELECT count(*) FROM offline_records_refused WHERE card_no = '200'",
            $"SELECT count(*) FROM account_names WHERE owner = {journal.NorthHolderId} AND kind IN (1, 3)",
            $"SELECT count(*) FROM holders WHERE id = {journal.NorthHolderId}",
            $"SELECT count(*) FROM transactions WHERE holder_id = {journal.NorthHolderId}",
            "SELECT count(*) FROM campuses WHERE code = 'north'",
        };

        foreach (var query in others)
        {
            Assert.True(await CountAsync(journal.Default, query) == 0, $"default reads: {query}");
            Assert.True(await CountAsync(journal.Vendor, query) > 0, $"the vendor does not read: {query}");
        }
        Assert.Equal(0L, await ScalarAsync(journal.Default, $"SELECT account_balance_at(3::smallint, {journal.NorthHolderId}, now())"));
        Assert.Equal(600L, await ScalarAsync(journal.Vendor, $"SELECT account_balance_at(3::smallint, {journal.NorthHolderId}, now())"));
    }

    [Fact]
    public async Task The_vendor_reads_every_campus_and_each_campus_trial_balance_sums_to_zero()
    {
        foreach (var view in await ViewsWithCampusAsync())
            Assert.Equal("default north", await TextAsync(journal.Vendor, $"SELECT string_agg(DISTINCT campus, ' ') FROM {view}"));

        Assert.Equal("default 1 0, default 3 300, default 4 0, default 5 -300, north 1 0, north 3 600, north 4 0, north 5 -600", await TextAsync(journal.Vendor,
            "SELECT string_agg(concat_ws(' ', campus, kind, balance_fen), ', ' ORDER BY campus, kind) FROM trial_balance_by_campus"));
        Assert.Equal("default 0, north 0", await TextAsync(journal.Vendor, TrialBalanceTotals));
        Assert.Equal("default 0", await TextAsync(journal.Default, TrialBalanceTotals));
        Assert.Equal("default 300 8800 8500, north 600 17600 17000", await TextAsync(journal.Vendor,
            "SELECT string_agg(concat_ws(' ', campus, owed_to_cardholders_fen, bank_clearing_fen, other_system_fen), ', ' ORDER BY campus) FROM cardholder_float"));
        Assert.Equal(-26_400L, await ScalarAsync(journal.Vendor, "SELECT account_balance_at(5::smallint, 1, now())"));

        // The same merchant id and batch id at both campuses: each campus's own rows, counted once.
        Assert.Equal("default 1 300, north 1 600", await TextAsync(journal.Vendor,
            "SELECT string_agg(concat_ws(' ', campus, issued, issued_fen), ', ' ORDER BY campus) FROM subsidy_batch_totals WHERE batch_id = 'SUB-1'"));
        Assert.Equal("default Canteen A 100, north Canteen B 200", await TextAsync(journal.Vendor,
            "SELECT string_agg(concat_ws(' ', campus, merchant_name, card_no), ', ' ORDER BY campus) FROM offline_records_refused"));
        Assert.Equal("default 1200 2026-06-01, north 2400 2026-06-01", await TextAsync(journal.Vendor,
            "SELECT string_agg(concat_ws(' ', campus, gross_fen, business_date), ', ' ORDER BY campus) FROM merchant_days WHERE merchant_id = 'CANTEEN'"));

        // A card of campus 2 is named by its number out of the scope '2/c:200', each row's time in its campus's clock.
        Assert.Equal("default 100 2026-06-01 12:02:00, north 200 2026-05-31 23:02:00", await TextAsync(journal.Vendor,
            "SELECT string_agg(concat_ws(' ', campus, card_no, decided_at), ', ' ORDER BY campus) FROM journal WHERE kind = 'debit'"));
        Assert.Equal("08:00:00", await TextAsync(journal.Vendor, "SELECT campus_utc_offset()::text"));
    }

    private const string TrialBalanceTotals =
        "SELECT string_agg(concat_ws(' ', campus, total), ', ' ORDER BY campus) FROM (SELECT campus, sum(balance_fen) AS total FROM trial_balance_by_campus GROUP BY campus) t";

    [Fact]
    public async Task A_login_listed_nowhere_reads_nothing()
    {
        var views = (await journal.Database.RowsAsync("SELECT viewname FROM pg_views WHERE schemaname = 'public'")).Select(row => (string)row[0]).ToList();

        Assert.Contains("trial_balance_by_campus", views);
        foreach (var relation in views.Concat(["transactions", "holders", "merchants", "accounts", "subsidy_batches", "campuses"]))
            Assert.True(await CountAsync(journal.Unlisted, $"SELECT count(*) FROM {relation}") == 0, $"the unlisted login reads {relation}");
        Assert.Equal(0L, await ScalarAsync(journal.Unlisted, "SELECT account_balance_at(5::smallint, 1, now())"));
        Assert.Equal(true, await ScalarAsync(journal.Unlisted, "SELECT current_campus() IS NULL"));
    }

    [Fact]
    public async Task Every_view_runs_with_its_callers_rights_and_every_campus_table_a_view_reads_has_the_policy()
    {
        Assert.Empty(await journal.Database.RowsAsync("""
            SELECT c.relname FROM pg_class c
             WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace AND NOT coalesce(c.reloptions @> '{security_invoker=true}', false)
            """));
        var viewed = """
            SELECT DISTINCT t.relname::text FROM pg_depend d
              JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class AND v.relkind = 'v'
              JOIN pg_class t ON t.oid = d.refobjid AND t.relkind = 'r'
             WHERE d.classid = 'pg_rewrite'::regclass AND v.relnamespace = 'public'::regnamespace
               AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'campus_no')
            """;
        Assert.Contains(await journal.Database.RowsAsync(viewed), row => (string)row[0] == "transactions");
        Assert.Empty(await journal.Database.RowsAsync($"""
            SELECT relname FROM pg_class c
             WHERE c.relname IN ({viewed})
               AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'campus_rows'))
            """));
    }
}
