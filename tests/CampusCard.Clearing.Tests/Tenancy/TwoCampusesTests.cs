using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Grpc.Core;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;

namespace CampusCard.Clearing.Tests.Tenancy;

/// <summary>
/// Two campuses in one deployment (issue 26): the default one the tests' plain tokens name, and "north" the vendor creates.
/// Numbers are unique within a campus only, every call is decided within its caller's campus, and the vendor creates
/// campuses and touches nothing else.
/// </summary>
public class TwoCampusesTests : ServiceTestBase
{
    private const string North = "north";

    private Cards.CardsClient NorthOffice => new(As(CallerRole.Office, North));

    [Fact]
    public async Task The_same_person_and_card_numbers_at_two_campuses_are_two_cardholders()
    {
        await CreateCampusAsync(North, "北校区");
        var open = new OpenAccountRequest { PersonNo = "2021001", Name = "张三", CardType = CardType.Student, IdNumber = IdNumber, CardNo = "880000000017" };
        var here = await CallAsync(Cards.OpenAccountAsync, open);
        var there = await CallAsync(NorthOffice.OpenAccountAsync, open.Clone());
        await CreditAsync(here.PersonNo, 1_000);
        await CallAsync(new Funding.FundingClient(As(CallerRole.Office, North)).CreditAsync,
            new CreditRequest { RequestId = "credit-north", PersonNo = there.PersonNo, AmountFen = 5_000, Source = SystemAccount.Suspense });
        var canteen = await OpenMerchantAsync("CANTEEN-1");
        var northTerminal = await TerminalAtAsync(North, "CANTEEN-1", "北区食堂");

        // One request id at both campuses' terminals: two requests, each decided on its own campus's cardholder.
        var debitHere = await DebitAsync(Debit(here, canteen, 300, "same-id"));
        var debitThere = await CallAsync(northTerminal.DebitAsync, Debit(there, canteen, 700, "same-id"));

        Assert.Equal((Outcome.Approved, 700L), (debitHere.Outcome, debitHere.BalanceFen));
        Assert.Equal((Outcome.Approved, 4_300L), (debitThere.Outcome, debitThere.BalanceFen));
        Assert.NotEqual(debitHere.TransactionId, debitThere.TransactionId);
        Assert.Equal(700, (await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = "2021001" })).Balances.PurseFen);
        Assert.Equal(4_300, (await CallAsync(NorthOffice.GetAccountAsync, new GetAccountRequest { PersonNo = "2021001" })).Balances.PurseFen);
        Assert.Equal(4_300, (await CallAsync(new Terminal.TerminalClient(As(CallerRole.Kiosk, North)).GetBalanceAsync, new GetBalanceRequest { CardNo = there.CardNo })).BalanceFen);
    }

    [Fact]
    public async Task A_campus_is_created_once_by_its_code_and_listed()
    {
        var admin = new Admin.AdminClient(As(CallerRole.Vendor));

        var created = await CreateCampusAsync(North, "北校区");
        var again = await CreateCampusAsync(North, "北校区");
        await AssertRefusedAsync(StatusCode.AlreadyExists, ErrorReason.CampusExists, () => CreateCampusAsync(North, "另一个校区"));
        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField, () => CreateCampusAsync("North Campus", "北校区"));
        var listed = await CallAsync(admin.ListCampusesAsync, new ListCampusesRequest());

        Assert.Equal(created, again);
        Assert.True(created.CampusNo > 1);
        Assert.Equal(["default", North], listed.Campuses.Select(c => c.Code));
        Assert.Equal(1, listed.Campuses[0].CampusNo);
    }

    [Fact]
    public async Task The_vendor_reaches_no_campus_and_no_campus_reaches_admin()
    {
        await CreateCampusAsync(North, "北校区");

        await AssertRefusedAsync(StatusCode.PermissionDenied, ErrorReason.RoleNotAllowed,
            () => CallAsync(new Cards.CardsClient(As(CallerRole.Vendor)).OpenAccountAsync,
                new OpenAccountRequest { PersonNo = "V1", Name = "张三", CardType = CardType.Student, IdNumber = IdNumber }));
        await AssertRefusedAsync(StatusCode.PermissionDenied, ErrorReason.RoleNotAllowed,
            () => CallAsync(new Admin.AdminClient(As(CallerRole.Office, North)).CreateCampusAsync, new CreateCampusRequest { Code = "south", Name = "南校区" }));
        await AssertRefusedAsync(StatusCode.PermissionDenied, ErrorReason.RoleNotAllowed,
            () => CallAsync(new Admin.AdminClient(As(CallerRole.Operator)).ListCampusesAsync, new ListCampusesRequest()));
    }

    [Fact]
    public async Task A_token_naming_a_campus_the_deployment_lacks_or_a_vendor_token_naming_one_is_refused()
    {
        await CreateCampusAsync(North, "北校区");
        var vendorOfNorth = new Admin.AdminClient(Channel.WithToken(TestCredentials.Token(new Domain.Caller(CallerRole.Vendor, "vendor"), campus: North)));

        var unknown = await AssertRefusedAsync(StatusCode.Unauthenticated, ErrorReason.TokenClaimsInvalid,
            () => CallAsync(new Cards.CardsClient(As(CallerRole.Office, "south")).GetAccountAsync, new GetAccountRequest { PersonNo = "2021001" }));
        await AssertRefusedAsync(StatusCode.Unauthenticated, ErrorReason.TokenClaimsInvalid, () => CallAsync(vendorOfNorth.ListCampusesAsync, new ListCampusesRequest()));

        Assert.Contains("south", unknown.Status.Detail);
    }

    [Fact]
    public async Task A_terminal_is_sent_its_own_campuss_card_changes_only()
    {
        await CreateCampusAsync(North, "北校区");
        await CallAsync(NorthOffice.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "CANTEEN-N", Name = "北区食堂", Category = MerchantCategory.Dining });
        await CallAsync(NorthOffice.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = "T-N", MerchantId = "CANTEEN-N" });
        var northTerminal = new Terminal.TerminalClient(Channel.WithToken(TestCredentials.TerminalToken("T-N", "CANTEEN-N", North)));
        var merchant = await OpenMerchantAsync();
        var here = await OpenAccountAsync();
        var there = await CallAsync(NorthOffice.OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "N-1", Name = "王五", CardType = CardType.Student, IdNumber = IdNumber });

        await CallAsync(Cards.ReportLossAsync, new ReportLossRequest { RequestId = NextId(), PersonNo = here.PersonNo });
        await CallAsync(NorthOffice.ReportLossAsync, new ReportLossRequest { RequestId = NextId(), PersonNo = there.PersonNo });
        var seenHere = await WatchAsync(TerminalOf(merchant.MerchantId));
        var seenThere = await WatchAsync(northTerminal);

        Assert.Equal([here.CardNo], seenHere);
        Assert.Equal([there.CardNo], seenThere);
    }

    [Fact]
    public async Task A_campus_settles_its_own_merchants()
    {
        await CreateCampusAsync(North, "北校区");
        var canteen = await OpenMerchantAsync("CANTEEN-1");
        var account = await OpenFundedAccountAsync(2_000);
        await DebitAsync(Debit(account, canteen, 1_200));
        await CallAsync(NorthOffice.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "CANTEEN-1", Name = "北区食堂", Category = MerchantCategory.Dining });
        Clock.Advance(TimeSpan.FromHours(15));
        var day = new RunSettlementRequest { BusinessDate = "2026-09-01" };

        var north = await CallAsync(new Finance.FinanceClient(As(CallerRole.Finance, North)).RunSettlementAsync, day);
        var here = await CallAsync(new Finance.FinanceClient(As(CallerRole.Finance)).RunSettlementAsync, day);

        Assert.Empty(north.Merchants);
        Assert.Equal(("CANTEEN-1", 1_200L), (Assert.Single(here.Merchants).MerchantId, here.SettledFen));
    }

    /// <summary>The cards the feed sends a new subscriber (every card to refuse), read until it goes quiet.</summary>
    private static async Task<List<string>> WatchAsync(Terminal.TerminalClient terminal)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = terminal.WatchCardStatus(new WatchCardStatusRequest(), cancellationToken: cancel.Token);
        var cards = new List<string>();
        while (true)
        {
            var next = watch.ResponseStream.MoveNext(cancel.Token);
            if (await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(2))) != next) return cards;
            if (!await next) return cards;
            cards.Add(watch.ResponseStream.Current.CardNo);
        }
    }
}
