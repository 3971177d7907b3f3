using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;

namespace CampusCard.Clearing.Tests.Tenancy;

/// <summary>
/// A campus's own settings (Admin.ConfigureCampus): two campuses in one deployment, one on the deployment's configuration
/// (Beijing time, the bank's channel 05:00-22:00, the handbook's default PIN) and "west" on its own (UTC-05:00, cheaper
/// replacements, CUMT's default PIN rule). The test clock is 2026-09-01 12:00 in Beijing: 04:00 UTC, 23:00 of 08-31 in the west.
/// </summary>
public class CampusSettingsTests : ServiceTestBase
{
    private const string West = "west";

    private static CampusSettings WestSettings => new()
    {
        UtcOffset = "-05:00",
        DefaultPin = DefaultPinRule.LastSixBeforeX,
        CardGroup = "west-group",
        CardTypes = { ["student"] = new CardTypeSettings { SingleLimitFen = 2_000, DailyLimitFen = 5_000, ReplacementFeeFen = 500 } },
    };

    private Admin.AdminClient Vendor => new(As(CallerRole.Vendor));

    private Cards.CardsClient WestOffice => new(As(CallerRole.Office, West));

    [Fact]
    public async Task Business_days_channel_hours_fees_and_default_pins_follow_each_campus()
    {
        await CreateCampusAsync(West, "西校区");
        await CallAsync(Vendor.ConfigureCampusAsync, new ConfigureCampusRequest { Code = West, Settings = WestSettings });
        var here = await OpenFundedAccountAsync(10_000);
        var there = await CallAsync(WestOffice.OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "W-1", Name = "赵六", CardType = CardType.Student, IdNumber = IdNumber });
        await CallAsync(new Funding.FundingClient(As(CallerRole.Office, West)).CreditAsync,
            new CreditRequest { RequestId = "w-credit", PersonNo = there.PersonNo, AmountFen = 20_000, Source = SystemAccount.Suspense });
        var topUp = new QuotaTopUpRequest { RequestId = "bank-1", AmountFen = 5_000, Channel = "bank" };

        var bankHere = await CallAsync(FundingAs(CallerRole.Bank).QuotaTopUpAsync, topUp.Clone().With(t => t.PersonNo = here.PersonNo));
        var bankThere = await CallAsync(new Funding.FundingClient(As(CallerRole.Bank, West)).QuotaTopUpAsync, topUp.Clone().With(t => t.PersonNo = there.PersonNo));
        var replacedHere = await CallAsync(Cards.ReplaceCardAsync, new ReplaceCardRequest { RequestId = "r-1", PersonNo = here.PersonNo, Reason = ReplaceReason.Lost });
        var replacedThere = await CallAsync(WestOffice.ReplaceCardAsync, new ReplaceCardRequest { RequestId = "r-1", PersonNo = there.PersonNo, Reason = ReplaceReason.Lost });

        Assert.Equal(Outcome.Approved, bankHere.Outcome);
        Assert.Equal((Outcome.Declined, DeclineReason.OutsideServiceHours), (bankThere.Outcome, bankThere.DeclineReason));
        Assert.Equal((2_000L, 500L), (replacedHere.AmountFen, replacedThere.AmountFen));
        Assert.Equal(new[] { ("2026-09-01", 1), ("2026-08-31", 2) }, await BusinessDatesAsync("r-1"));
        Assert.Equal("2026-08-31 23:00:00", await Database.ScalarAsync<string>("SELECT decided_at::text FROM journal WHERE request_id = 'r-1' AND campus = 'west'"));
        await AssertDefaultPinAsync(there.PersonNo, West, "101234", "012341");
        await AssertDefaultPinAsync(here.PersonNo, null, "012341", "101234");
    }

    [Fact]
    public async Task A_holder_rebuilt_from_the_journal_keeps_the_spend_of_its_campus_business_day()
    {
        await CreateCampusAsync(West, "西校区");
        await CallAsync(Vendor.ConfigureCampusAsync, new ConfigureCampusRequest { Code = West, Settings = WestSettings });
        var there = await CallAsync(WestOffice.OpenAccountAsync, new OpenAccountRequest { PersonNo = "W-3", Name = "孙八", CardType = CardType.Student, IdNumber = IdNumber });
        await CallAsync(new Funding.FundingClient(As(CallerRole.Office, West)).CreditAsync,
            new CreditRequest { RequestId = "w-credit", PersonNo = there.PersonNo, AmountFen = 20_000, Source = SystemAccount.Suspense });
        var canteen = await TerminalAtAsync(West, "W-CANTEEN");
        foreach (var id in new[] { "d-1", "d-2" }) await CallAsync(canteen.DebitAsync, new DebitRequest { RequestId = id, CardNo = there.CardNo, AmountFen = 2_000 });
        // 2026-08-31 in the west, 09-01 at the deployment's clock: the spend of the west's day is 4,000 of its 5,000.
        await StopServiceAsync();

        await LocalServers.DeleteKeysAsync(Prefix);
        await StartServiceAsync();
        var canteenAgain = new Terminal.TerminalClient(Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf("W-CANTEEN"), "W-CANTEEN", West)));
        var overTheDay = await CallAsync(canteenAgain.DebitAsync, new DebitRequest { RequestId = "d-3", CardNo = there.CardNo, AmountFen = 2_000 });

        Assert.Equal((Outcome.Declined, DeclineReason.PinRequired), (overTheDay.Outcome, overTheDay.DeclineReason));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_version_applies_from_its_time_on_at_every_instance_without_a_restart()
    {
        await CreateCampusAsync(West, "西校区");
        var other = await StartAnotherInstanceAsync(_ => { });
        var westBankOnOther = new Funding.FundingClient(other.Channel.WithToken(TestCredentials.Token(CallerRole.Bank, West)));
        var account = await CallAsync(WestOffice.OpenAccountAsync, new OpenAccountRequest { PersonNo = "W-2", Name = "钱七", CardType = CardType.Student, IdNumber = IdNumber });
        QuotaTopUpRequest TopUp(string id) => new() { RequestId = id, PersonNo = account.PersonNo, AmountFen = 5_000, Channel = "bank" };

        var version = await CallAsync(Vendor.ConfigureCampusAsync,
            new ConfigureCampusRequest { Code = West, Settings = WestSettings, EffectiveFrom = Timestamp.FromDateTimeOffset(Clock.GetUtcNow().AddHours(1)) });
        var before = await CallAsync(westBankOnOther.QuotaTopUpAsync, TopUp("before"));
        var detailBefore = await CallAsync(Vendor.GetCampusAsync, new GetCampusRequest { Code = West });
        Clock.Advance(TimeSpan.FromHours(1));
        var after = await FirstDeclinedAsync(attempt => CallAsync(westBankOnOther.QuotaTopUpAsync, TopUp($"after-{attempt}")));
        var detailAfter = await CallAsync(Vendor.GetCampusAsync, new GetCampusRequest { Code = West });

        Assert.Equal(1, version.Version);
        Assert.Equal(Outcome.Approved, before.Outcome);
        Assert.Equal((Outcome.Declined, DeclineReason.OutsideServiceHours), (after.Outcome, after.DeclineReason));
        Assert.Equal((0, 1), (detailBefore.VersionInForce, detailAfter.VersionInForce));
        Assert.Equal(WestSettings, Assert.Single(detailAfter.Configurations).Settings);
    }

    [Fact]
    public async Task A_setting_a_campus_cannot_run_on_an_unknown_campus_and_a_time_past_are_refused_and_change_nothing()
    {
        await CreateCampusAsync(West, "西校区");
        ConfigureCampusRequest With(Action<CampusSettings> change)
        {
            var settings = WestSettings;
            change(settings);
            return new ConfigureCampusRequest { Code = West, Settings = settings };
        }

        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField, () => CallAsync(Vendor.ConfigureCampusAsync, With(s => s.UtcOffset = "+15:00")));
        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField, () => CallAsync(Vendor.ConfigureCampusAsync, With(s => s.UtcOffset = "8")));
        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField,
            () => CallAsync(Vendor.ConfigureCampusAsync, With(s => s.Channels["bank"] = new ChannelSettings { MinFen = 500, MaxFen = 100 })));
        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField,
            () => CallAsync(Vendor.ConfigureCampusAsync, With(s => s.CardTypes["visitor"] = new CardTypeSettings())));
        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField,
            () => CallAsync(Vendor.ConfigureCampusAsync, With(s => s.BusinessDayStartsAt = "07:00")));
        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField, () => CallAsync(Vendor.ConfigureCampusAsync, With(s => s.CardGroup = "DLUT")));
        await AssertRefusedAsync(StatusCode.InvalidArgument, ErrorReason.InvalidField,
            () => CallAsync(Vendor.ConfigureCampusAsync, new ConfigureCampusRequest { Code = West, EffectiveFrom = Timestamp.FromDateTimeOffset(Clock.GetUtcNow().AddHours(-1)) }));
        await AssertRefusedAsync(StatusCode.NotFound, ErrorReason.CampusNotFound, () => CallAsync(Vendor.ConfigureCampusAsync, new ConfigureCampusRequest { Code = "east" }));
        await AssertRefusedAsync(StatusCode.PermissionDenied, ErrorReason.RoleNotAllowed,
            () => CallAsync(new Admin.AdminClient(As(CallerRole.Office, West)).ConfigureCampusAsync, new ConfigureCampusRequest { Code = West }));

        Assert.Empty((await CallAsync(Vendor.GetCampusAsync, new GetCampusRequest { Code = West })).Configurations);
    }

    /// <summary>
    /// The campus's default PIN is <paramref name="right"/>: a debit over both campuses' single limits is approved with it and
    /// declined WRONG_PIN with <paramref name="wrong"/>.
    /// </summary>
    private async Task AssertDefaultPinAsync(string personNo, string? campus, string right, string wrong)
    {
        var office = new Cards.CardsClient(As(CallerRole.Office, campus));
        var terminal = await TerminalAtAsync(campus, NextId("M"));
        var card = (await CallAsync(office.GetAccountAsync, new GetAccountRequest { PersonNo = personNo })).CardNo;
        DebitRequest OverLimit(string pin) => new() { RequestId = NextId("pin"), CardNo = card, AmountFen = 10_001, Pin = pin };

        var withWrong = await CallAsync(terminal.DebitAsync, OverLimit(wrong));
        var withRight = await CallAsync(terminal.DebitAsync, OverLimit(right));

        Assert.Equal(DeclineReason.WrongPin, withWrong.DeclineReason);
        Assert.Equal(Outcome.Approved, withRight.Outcome);
    }

    /// <summary>
    /// The first declined of up to 50 top-ups 100 ms apart: the other instance applies a version once the registry-change
    /// channel tells it, within milliseconds (or its next refresh, 30 s): five seconds is a failure.
    /// </summary>
    private static async Task<FundingReply> FirstDeclinedAsync(Func<int, Task<FundingReply>> topUp)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reply = await topUp(attempt);
            if (reply.Outcome == Outcome.Declined || attempt == 49) return reply;
            await Task.Delay(100);
        }
    }

    /// <summary>The business date and campus of each transaction under a request id, by campus.</summary>
    private async Task<(string, int)[]> BusinessDatesAsync(string requestId)
    {
        await using var cmd = Database.DataSource.CreateCommand(
            "SELECT (date '1970-01-01' + business_day)::text, campus_no FROM transactions WHERE request_id = $1 ORDER BY campus_no");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = requestId });
        var rows = new List<(string, int)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt16(1)));
        return [.. rows];
    }
}
