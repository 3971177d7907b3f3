using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;
using Campuses = CampusCard.Clearing.Domain.Campuses;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;
using JournalPlacement = CampusCard.Clearing.Domain.JournalPlacement;

namespace CampusCard.Clearing.Tests.Placement;

/// <summary>
/// Two campuses in two journal databases (issue 26, journal placement): each campus's cardholders, merchants and
/// transactions are in its own database and nowhere else, each database's partitions are rebuilt from it, and each
/// database holds the invariants on its own.
/// </summary>
public class JournalPlacementTests : TwoJournalDatabasesTestBase
{
    [Fact]
    public async Task Each_campuss_debits_reversal_settlement_and_statement_are_in_its_own_database_only()
    {
        var north = await CreateNorthAsync();
        foreach (var campus in new[] { null, North })
        {
            var account = await OpenFundedAccountAtAsync(campus);
            var terminal = await OpenCanteenAtAsync(campus);
            var debit = new DebitRequest { RequestId = "d-1", CardNo = account.CardNo, AmountFen = 300 };
            Assert.Equal(Outcome.Approved, (await CallAsync(terminal.DebitAsync, debit)).Outcome);
            Assert.Equal(Outcome.Approved, (await CallAsync(terminal.DebitAsync, new DebitRequest { RequestId = "d-2", CardNo = account.CardNo, AmountFen = 200 })).Outcome);
            var reversal = await CallAsync(terminal.ReverseAsync, new ReverseRequest { RequestId = "r-1", OriginalRequestId = "d-2", CardNo = account.CardNo });
            Assert.Equal((Outcome.Approved, 1_700L), (reversal.Outcome, reversal.BalanceFen));
        }
        Clock.Advance(TimeSpan.FromHours(15));

        var settled = new List<long>();
        var statements = new List<Statement>();
        foreach (var campus in new[] { null, North })
        {
            settled.Add((await CallAsync(new Finance.FinanceClient(As(CallerRole.Finance, campus)).RunSettlementAsync, new RunSettlementRequest { BusinessDate = "2026-09-01" })).SettledFen);
            statements.Add(await CallAsync(new Statements.StatementsClient(As(CallerRole.Office, campus)).GetStatementAsync,
                new GetStatementRequest { PersonNo = "2021001", FromDate = "2026-09-01", ToDate = "2026-09-01" }));
        }

        Assert.Equal([300L, 300L], settled);
        Assert.Equal(Lines(statements[0]), Lines(statements[1]));
        Assert.Empty(statements[0].Lines.Select(l => l.TransactionId).Intersect(statements[1].Lines.Select(l => l.TransactionId)));
        foreach (var table in new[] { "transactions", "holders", "merchants", "cards", "terminals" })
        {
            Assert.Equal(new long[] { Campuses.Default }, await CampusesInAsync(Database, table));
            Assert.Equal(new long[] { north.CampusNo }, await CampusesInAsync(EastDatabase, table));
        }
        // The same requests at both campuses: the same rows, each in its campus's database (a settlement each).
        const string Rows = "SELECT kind::bigint, outcome::bigint, moved_fen, request_id FROM transactions ORDER BY id";
        Assert.Equal(Texts(await Database.RowsAsync(Rows)), Texts(await EastDatabase.RowsAsync(Rows)));
        Assert.Equal(1L, await EastDatabase.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 29 AND moved_fen = 300"));
        // A holder id and a merchant number tell their database.
        Assert.True(await Database.ScalarAsync<long>("SELECT max(id) FROM holders") < JournalPlacement.IdSpan);
        Assert.Equal(JournalPlacement.IdSpan + 1, await EastDatabase.ScalarAsync<long>("SELECT min(id) FROM holders"));
        Assert.Equal(JournalPlacement.IdSpan + 1, await EastDatabase.ScalarAsync<long>("SELECT min(no) FROM merchants"));
        await AssertInvariantsAsync(partitions: Partitions);
        await AssertInvariantsAsync(database: EastDatabase, partitions: Partitions);
    }

    [Fact]
    public async Task A_campuss_partitions_are_its_databases_and_a_flushed_one_is_rebuilt_from_it()
    {
        var north = await CreateNorthAsync();
        var accounts = new Dictionary<string, Account>();
        foreach (var campus in new[] { null, North })
        {
            var account = await OpenFundedAccountAtAsync(campus);
            var terminal = await OpenCanteenAtAsync(campus);
            await CallAsync(terminal.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = account.CardNo, AmountFen = 300 });
            accounts[campus ?? "default"] = account;
        }
        var partition = Partitions.Of(Campuses.Qualify((short)north.CampusNo, "p:2021001"));
        var defaultPartition = Partitions.Of("p:2021001");

        await LocalServers.DeleteKeysAsync($"{Prefix}{{{partition}}}");
        var kiosk = new Terminal.TerminalClient(As(CallerRole.Kiosk, North));
        var after = await RetryWhileUnavailableAsync(() => CallAsync(kiosk.GetBalanceAsync, new GetBalanceRequest { CardNo = accounts[North].CardNo }));

        Assert.Equal((1, 0), (partition % 2, defaultPartition % 2));
        Assert.Equal(1_700, after.BalanceFen);
        Assert.Equal(1_700, (await CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = accounts["default"].CardNo })).BalanceFen);
        await AssertInvariantsAsync(partitions: Partitions);
        await AssertInvariantsAsync(database: EastDatabase, partitions: Partitions);
    }

    [Fact]
    public async Task A_restart_on_an_emptied_hot_state_rebuilds_each_campus_from_its_database()
    {
        await CreateNorthAsync();
        var north = await OpenFundedAccountAtAsync(North);
        var here = await OpenFundedAccountAtAsync(null);
        await CallAsync(OfficeOf(North).ReportLossAsync, new ReportLossRequest { RequestId = "loss-1", PersonNo = north.PersonNo });
        await StopServiceAsync();
        await LocalServers.DeleteKeysAsync(Prefix);

        await StartServiceAsync();
        var northAccount = await CallAsync(OfficeOf(North).GetAccountAsync, new GetAccountRequest { PersonNo = north.PersonNo });
        var hereAccount = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = here.PersonNo });

        Assert.Equal((2_000L, CardState.Lost), (northAccount.Balances.PurseFen, northAccount.CardState));
        Assert.Equal((2_000L, CardState.Active), (hereAccount.Balances.PurseFen, hereAccount.CardState));
        await AssertInvariantsAsync(partitions: Partitions);
        await AssertInvariantsAsync(database: EastDatabase, partitions: Partitions);
    }

    [Fact]
    public async Task A_campus_is_created_in_a_journal_database_the_deployment_has_and_keeps_it()
    {
        var admin = new Admin.AdminClient(As(CallerRole.Vendor));

        var unknown = await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField, () => CreateCampusAsync("south", "南校区", "west"));
        var north = await CreateNorthAsync();
        await AssertRefusedAsync(StatusCode.AlreadyExists, ErrorReason.CampusExists, () => CreateCampusAsync(North, "北校区", JournalPlacement.Main));
        var listed = await CallAsync(admin.ListCampusesAsync, new ListCampusesRequest());

        Assert.Contains("journal_database is 'west': the deployment's journal databases are main, east", unknown.Status.Detail);
        Assert.Equal(East, north.JournalDatabase);
        Assert.Equal([("default", JournalPlacement.Main), (North, East)], listed.Campuses.Select(c => (c.Code, c.JournalDatabase)));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM campuses WHERE code = 'south'"));
        Assert.Equal(1L, await Database.ScalarAsync<long>($"SELECT journal_database FROM campuses WHERE campus_no = {north.CampusNo}"));
        Assert.Equal(North, await EastDatabase.ScalarAsync<string>($"SELECT code FROM campuses WHERE campus_no = {north.CampusNo} AND journal_database = 1"));
    }

    [Fact]
    public async Task A_campuss_settings_are_kept_in_its_database_and_its_business_day_follows_them()
    {
        await CreateNorthAsync();
        var account = await OpenFundedAccountAtAsync(North);
        var vendor = new Admin.AdminClient(As(CallerRole.Vendor));

        await CallAsync(vendor.ConfigureCampusAsync, new ConfigureCampusRequest { Code = North, Settings = new CampusSettings { UtcOffset = "-05:00" } });
        var debit = await CallAsync((await OpenCanteenAtAsync(North)).DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = account.CardNo, AmountFen = 300 });
        var detail = await CallAsync(vendor.GetCampusAsync, new GetCampusRequest { Code = North });

        Assert.Equal(Outcome.Approved, debit.Outcome);
        Assert.Equal((1, "-05:00"), (detail.VersionInForce, Assert.Single(detail.Configurations).Settings.UtcOffset));
        Assert.Equal(1L, await EastDatabase.ScalarAsync<long>("SELECT count(*) FROM campus_configurations"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM campus_configurations"));
        // 12:00 in Beijing is 23:00 the day before at UTC-05:00: the campus's business day.
        Assert.Equal(await EastDatabase.ScalarAsync<int>("SELECT business_day FROM transactions WHERE request_id = 'credit-1'") - 1,
            await EastDatabase.ScalarAsync<int>("SELECT business_day FROM transactions WHERE request_id = 'd-1'"));
    }

    private static List<string> Lines(Statement statement) => [.. statement.Lines.Select(l => $"{l.Kind} {l.AmountFen} {l.MerchantId} {l.Balances.PurseFen}")];

    private static List<string> Texts(IEnumerable<object[]> rows) => [.. rows.Select(r => string.Join(' ', r))];
}
