using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Grpc.Core;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;

namespace CampusCard.Clearing.Tests.Tenancy;

/// <summary>
/// Campus groups (校区通用; handbook Q&amp;A 5: a 凌水 card works at 开发区, not at 盘锦): 凌水 ("lingshui"), 开发区 ("kaifaqu")
/// and 锦州 ("jinzhou") name the card group "dlut", 盘锦 ("panjin") none. A 凌水 cardholder pays at a 开发区 canteen: the sale
/// is decided on the cardholder's purse, the canteen's campus books and settles it, and each campus's books balance.
/// </summary>
public class CampusGroupTests : ServiceTestBase
{
    private const string Lingshui = "lingshui";
    private const string Kaifaqu = "kaifaqu";
    private const string Jinzhou = "jinzhou";
    private const string Panjin = "panjin";
    private const string Group = "dlut";

    private Admin.AdminClient Vendor => new(As(CallerRole.Vendor));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var (code, name) in new[] { (Lingshui, "凌水校区"), (Kaifaqu, "开发区校区"), (Jinzhou, "锦州校区"), (Panjin, "盘锦校区") })
            await CreateCampusAsync(code, name);
    }

    private Task JoinGroupAsync(params string[] campuses) => Task.WhenAll(campuses.Select(code =>
        CallAsync(Vendor.ConfigureCampusAsync, new ConfigureCampusRequest { Code = code, Settings = new CampusSettings { CardGroup = Group } })));

    [Fact]
    public async Task A_card_is_taken_at_the_terminals_of_its_group_and_refused_outside_it()
    {
        await JoinGroupAsync(Lingshui, Kaifaqu, Jinzhou);
        var student = await OpenAccountAtAsync(Lingshui, "LS-1", "51000001", 10_000);
        var canteen = await TerminalAtAsync(Kaifaqu, "KFQ-CANTEEN");
        var panjin = await TerminalAtAsync(Panjin, "PJ-CANTEEN");

        var sale = await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = student.CardNo, AmountFen = 1_500 });
        var retried = await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = student.CardNo, AmountFen = 1_500 });
        var refused = await CallAsync(panjin.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = student.CardNo, AmountFen = 1_500 });
        var balance = await CallAsync(canteen.GetBalanceAsync, new GetBalanceRequest { CardNo = student.CardNo });
        var overLimit = await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-2", CardNo = student.CardNo, AmountFen = 6_000, Pin = DefaultPin });
        await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-3", CardNo = student.CardNo, AmountFen = 500 });
        var reversal = await CallAsync(canteen.ReverseAsync, new ReverseRequest { RequestId = "r-3", OriginalRequestId = "d-3", CardNo = student.CardNo });

        Assert.Equal((Outcome.Approved, 8_500L), (sale.Outcome, sale.BalanceFen));
        Assert.Equal(sale, retried);
        Assert.Equal((Outcome.Declined, DeclineReason.UnknownCard), (refused.Outcome, refused.DeclineReason));
        Assert.Equal((student.PersonNo, 8_500L), (balance.PersonNo, balance.BalanceFen));
        Assert.Equal((Outcome.Approved, 2_500L), (overLimit.Outcome, overLimit.BalanceFen));
        Assert.Equal((ReversalEffect.Refunded, 2_500L), (reversal.Effect, reversal.BalanceFen));
        Assert.Equal("kaifaqu lingshui 4, panjin  1", await Database.ScalarAsync<string>("""
            SELECT string_agg(c.code || ' ' || coalesce(hc.code, '') || ' ' || n, ', ' ORDER BY c.code)
              FROM (SELECT campus_no, holder_campus_no, count(*) AS n FROM transactions WHERE kind IN (1, 2) GROUP BY 1, 2) t
              JOIN campuses c ON c.campus_no = t.campus_no LEFT JOIN campuses hc ON hc.campus_no = t.holder_campus_no
            """));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Each_campus_books_balance_and_the_merchants_campus_settles_the_sale()
    {
        await JoinGroupAsync(Lingshui, Kaifaqu);
        var student = await OpenAccountAtAsync(Lingshui, "LS-2", "51000002", 10_000);
        var canteen = await TerminalAtAsync(Kaifaqu, "KFQ-CANTEEN");
        await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = student.CardNo, AmountFen = 1_500 });
        await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-2", CardNo = student.CardNo, AmountFen = 500 });
        await CallAsync(canteen.ReverseAsync, new ReverseRequest { RequestId = "r-2", OriginalRequestId = "d-2", CardNo = student.CardNo });
        Clock.Advance(TimeSpan.FromHours(15));

        var settled = await CallAsync(new Finance.FinanceClient(As(CallerRole.Finance, Kaifaqu)).RunSettlementAsync, new RunSettlementRequest { BusinessDate = "2026-09-01" });
        var atHome = await CallAsync(new Finance.FinanceClient(As(CallerRole.Finance, Lingshui)).RunSettlementAsync, new RunSettlementRequest { BusinessDate = "2026-09-01" });

        var merchant = Assert.Single(settled.Merchants);
        Assert.Equal(("KFQ-CANTEEN", 2, 1, 1_500L, 1_500L), (merchant.MerchantId, merchant.Sales, merchant.Reversals, merchant.NetFen, merchant.SettledFen));
        Assert.Empty(atHome.Merchants);
        // 凌水: the purse and what it owes 开发区 (kind 7, campus_clearing); 开发区: what it is owed, and its bank clearing.
        Assert.Equal("kaifaqu campus_clearing -1500, kaifaqu merchant 0, kaifaqu system 1500, lingshui campus_clearing 1500, lingshui purse 8500, lingshui system -10000",
            await Database.ScalarAsync<string>(
                "SELECT string_agg(campus || ' ' || kind_name || ' ' || balance_fen, ', ' ORDER BY campus, kind_name) FROM trial_balance_by_campus WHERE campus IN ('lingshui', 'kaifaqu')"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_finance_login_of_either_campus_reads_the_sale_in_its_own_books_and_a_campus_outside_reads_nothing()
    {
        await JoinGroupAsync(Lingshui, Kaifaqu);
        var student = await OpenAccountAtAsync(Lingshui, "LS-6", "51000006", 10_000);
        var canteen = await TerminalAtAsync(Kaifaqu, "KFQ-CANTEEN");
        await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = student.CardNo, AmountFen = 1_500 });
        var logins = new[] { Lingshui, Kaifaqu, Panjin }.Select(code => (Code: code, Login: $"fin_{Guid.NewGuid():N}"[..16])).ToArray();
        var sources = new List<Npgsql.NpgsqlDataSource>();
        try
        {
            foreach (var (code, login) in logins)
                sources.Add(await FinanceLoginScript.CreateLoginAsync(Database.ConnectionString, login, "campus-group-password", "--campus", code));
            async Task<string?> TextAsync(int login, string sql) => await FinanceLoginScript.ScalarAsync(sources[login], sql) as string;
            const string Books = "SELECT string_agg(kind_name || ' ' || balance_fen, ', ' ORDER BY kind_name) FROM trial_balance_by_campus";
            const string Sales = "SELECT string_agg(coalesce(person_no, '-') || ' ' || coalesce(merchant_id, '-') || ' ' || moved_fen, ', ') FROM journal WHERE kind = 'debit'";

            Assert.Equal("campus_clearing 1500, purse 8500, system -10000", await TextAsync(0, Books));
            Assert.Equal("campus_clearing -1500, merchant 1500", await TextAsync(1, Books));
            Assert.Null(await TextAsync(2, Books));
            Assert.Equal("LS-6 - 1500", await TextAsync(0, Sales));
            Assert.Equal("- KFQ-CANTEEN 1500", await TextAsync(1, Sales));
            Assert.Null(await TextAsync(2, Sales));
            Assert.Equal("KFQ-CANTEEN 1 1500", await TextAsync(1, "SELECT merchant_id || ' ' || sales || ' ' || net_fen FROM merchant_days"));
        }
        finally
        {
            foreach (var source in sources) await source.DisposeAsync();
            foreach (var (_, login) in logins)
            {
                // What the login was granted in the scratch database, which outlives the test, first.
                await Database.ExecuteAsync($"DROP OWNED BY {login}");
                await FinanceLoginScript.DropLoginAsync(LocalServers.JournalConnectionString, login);
            }
        }
    }

    [Fact]
    public async Task A_number_held_at_two_campuses_of_the_group_is_refused_not_guessed_and_not_issued_again()
    {
        var atLingshui = await OpenAccountAtAsync(Lingshui, "LS-3", "51000003", 10_000);
        var atJinzhou = await OpenAccountAtAsync(Jinzhou, "JZ-3", "51000003", 10_000);
        await JoinGroupAsync(Lingshui, Kaifaqu, Jinzhou);
        var canteen = await TerminalAtAsync(Kaifaqu, "KFQ-CANTEEN");
        var home = await TerminalAtAsync(Lingshui, "LS-CANTEEN");

        var ambiguous = await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = "51000003", AmountFen = 1_000 });
        var atItsOwn = await CallAsync(home.DebitAsync, new DebitRequest { RequestId = "d-1", CardNo = "51000003", AmountFen = 1_000 });
        var taken = await AssertRefusedAsync(StatusCode.AlreadyExists, ErrorReason.CardNumberTaken, () => OpenAccountAtAsync(Kaifaqu, "KFQ-3", "51000003", 0));

        Assert.Equal((Outcome.Declined, DeclineReason.CardAmbiguous), (ambiguous.Outcome, ambiguous.DeclineReason));
        Assert.Equal((Outcome.Approved, 9_000L), (atItsOwn.Outcome, atItsOwn.BalanceFen));
        Assert.Contains("51000003", taken.Status.Detail);
        Assert.Equal(10_000L, (await CallAsync(new Cards.CardsClient(As(CallerRole.Office, Jinzhou)).GetAccountAsync, new GetAccountRequest { PersonNo = atJinzhou.PersonNo })).Balances.PurseFen);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM holders WHERE person_no = 'KFQ-3'"));
        Assert.NotEqual(atLingshui.PersonNo, atJinzhou.PersonNo);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_card_office_of_the_group_acts_on_its_own_cards_only()
    {
        await JoinGroupAsync(Lingshui, Kaifaqu);
        var student = await OpenAccountAtAsync(Lingshui, "LS-4", "51000004", 10_000);
        var office = new Cards.CardsClient(As(CallerRole.Office, Kaifaqu));
        var kiosk = new Terminal.TerminalClient(As(CallerRole.Kiosk, Kaifaqu));

        await AssertRefusedAsync(StatusCode.NotFound, ErrorReason.CardNotFound, () => CallAsync(kiosk.GetBalanceAsync, new GetBalanceRequest { CardNo = student.CardNo }));
        var lost = await CallAsync(office.ReportLossAsync, new ReportLossRequest { RequestId = "lost-1", CardNo = student.CardNo });

        Assert.Equal((Outcome.Declined, DeclineReason.UnknownCard), (lost.Outcome, lost.DeclineReason));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_sale_across_the_group_is_answered_as_first_after_the_hot_state_is_rebuilt()
    {
        await JoinGroupAsync(Lingshui, Kaifaqu);
        var student = await OpenAccountAtAsync(Lingshui, "LS-5", "51000005", 10_000);
        var canteen = await TerminalAtAsync(Kaifaqu, "KFQ-CANTEEN");
        var sale = new DebitRequest { RequestId = "d-1", CardNo = student.CardNo, AmountFen = 1_500 };
        var first = await CallAsync(canteen.DebitAsync, sale);
        await StopServiceAsync();

        await LocalServers.DeleteKeysAsync(Prefix);
        await StartServiceAsync();
        var canteenAgain = new Terminal.TerminalClient(Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf("KFQ-CANTEEN"), "KFQ-CANTEEN", Kaifaqu)));
        var retried = await CallAsync(canteenAgain.DebitAsync, sale);

        Assert.Equal(first, retried);
        Assert.Equal(8_500L, retried.BalanceFen);
        await AssertInvariantsAsync();
    }

    private async Task<Account> OpenAccountAtAsync(string campus, string personNo, string cardNo, long fundFen)
    {
        var account = await CallAsync(new Cards.CardsClient(As(CallerRole.Office, campus)).OpenAccountAsync,
            new OpenAccountRequest { PersonNo = personNo, Name = "张三", CardType = CardType.Student, IdNumber = IdNumber, CardNo = cardNo });
        if (fundFen > 0)
            await CallAsync(new Funding.FundingClient(As(CallerRole.Office, campus)).CreditAsync,
                new CreditRequest { RequestId = NextId("credit"), PersonNo = personNo, AmountFen = fundFen, Source = SystemAccount.Suspense });
        return account;
    }
}
