using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Holds 预授权 for shower 水控 and laundry terminals (docs/invariants.md, invariant 8).</summary>
[Trait("Suite", "Cluster")]
public class HoldTests : ServiceTestBase
{
    /// <summary>The engine's own expiry loop waits: the tests release expired holds when they say.</summary>
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Engine:HoldExpiryInterval", "01:00:00")];

    private Task<HoldReply> HoldAsync(Account account, Contracts.V1.Merchant merchant, long maxFen, string requestId, long ttlSeconds = 600) =>
        CallAsync(TerminalOf(merchant.MerchantId).HoldAsync, new HoldRequest { RequestId = requestId, CardNo = account.CardNo, MaxFen = maxFen, TtlSeconds = ttlSeconds });

    private Task<HoldReply> SettleAsync(Account account, Contracts.V1.Merchant merchant, string holdId, long amountFen, string? requestId = null) =>
        CallAsync(TerminalOf(merchant.MerchantId).SettleHoldAsync,
            new SettleHoldRequest { RequestId = requestId ?? NextId("settle"), HoldRequestId = holdId, CardNo = account.CardNo, AmountFen = amountFen });

    private Task<HoldReply> ReleaseAsync(Account account, Contracts.V1.Merchant merchant, string holdId) =>
        CallAsync(TerminalOf(merchant.MerchantId).ReleaseHoldAsync, new ReleaseHoldRequest { RequestId = NextId("release"), HoldRequestId = holdId, CardNo = account.CardNo });

    [Fact]
    public async Task A_hold_takes_the_most_a_session_may_cost_out_of_the_available_balance()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var shower = await OpenMerchantAsync();

        var hold = await HoldAsync(account, shower, 800, "h-1");
        var debit = await DebitAsync(Debit(account, shower, 300));

        Assert.Equal((Outcome.Approved, 800L), (hold.Outcome, hold.AmountFen));
        Assert.Equal(new Balances { PurseFen = 200, HeldFen = 800 }, hold.Balances);
        Assert.Equal(Clock.GetUtcNow().AddSeconds(600), hold.Deadline.ToDateTimeOffset());
        Assert.Equal(DeclineReason.InsufficientFunds, debit.DeclineReason);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_settle_pays_the_merchant_what_the_session_cost_and_returns_the_rest_once()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var shower = await OpenMerchantAsync();
        await HoldAsync(account, shower, 800, "h-1");

        var settle = await SettleAsync(account, shower, "h-1", 320, "s-1");
        var retry = await SettleAsync(account, shower, "h-1", 320, "s-1");
        var second = await SettleAsync(account, shower, "h-1", 100);
        var release = await ReleaseAsync(account, shower, "h-1");

        Assert.Equal((Outcome.Approved, 320L, 480L), (settle.Outcome, settle.AmountFen, settle.ReleasedFen));
        Assert.Equal(new Balances { PurseFen = 680 }, settle.Balances);
        Assert.Equal(settle, retry);
        Assert.Equal(DeclineReason.HoldClosed, second.DeclineReason);
        Assert.Equal(DeclineReason.HoldClosed, release.DeclineReason);
        Assert.Equal(320L, await Database.ScalarAsync<long>($"SELECT sum(amount_fen)::bigint FROM postings WHERE account_kind = 4 AND account_owner = (SELECT no FROM merchants WHERE merchant_id = '{shower.MerchantId}')"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_settle_for_more_than_the_hold_or_of_another_merchant_or_an_unknown_hold_is_declined()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var (shower, laundry) = (await OpenMerchantAsync(), await OpenMerchantAsync());
        await HoldAsync(account, shower, 500, "h-1");

        Assert.Equal(DeclineReason.OverHold, (await SettleAsync(account, shower, "h-1", 501)).DeclineReason);
        Assert.Equal(DeclineReason.OtherMerchant, (await SettleAsync(account, laundry, "h-1", 100)).DeclineReason);
        Assert.Equal(DeclineReason.UnknownHold, (await SettleAsync(account, shower, "h-none", 100)).DeclineReason);
        Assert.Equal(Outcome.Approved, (await SettleAsync(account, shower, "h-1", 500)).Outcome);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_released_hold_goes_back_to_the_purse_whole()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var laundry = await OpenMerchantAsync();
        await HoldAsync(account, laundry, 600, "h-1");

        var release = await ReleaseAsync(account, laundry, "h-1");
        var settle = await SettleAsync(account, laundry, "h-1", 100);

        Assert.Equal((Outcome.Approved, 600L), (release.Outcome, release.AmountFen));
        Assert.Equal(new Balances { PurseFen = 1_000 }, release.Balances);
        Assert.Equal(DeclineReason.HoldClosed, settle.DeclineReason);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_hold_is_not_reversible_open_or_closed()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var laundry = await OpenMerchantAsync();
        await HoldAsync(account, laundry, 600, "h-1");

        var open = await ReverseAsync(account, "h-1");
        await ReleaseAsync(account, laundry, "h-1");
        var closed = await ReverseAsync(account, "h-1");

        Assert.Equal((Outcome.Declined, DeclineReason.NotReversible), (open.Outcome, open.DeclineReason));
        Assert.Equal((Outcome.Declined, DeclineReason.NotReversible), (closed.Outcome, closed.DeclineReason));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_hold_nobody_settled_by_its_deadline_is_released_by_the_engine_and_a_late_settle_is_declined()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var shower = await OpenMerchantAsync();
        await HoldAsync(account, shower, 700, "h-1", ttlSeconds: 60);
        var engine = Service.App.Services.GetRequiredService<ClearingEngine>();

        Assert.Equal(0, await engine.ReleaseExpiredHoldsAsync(CancellationToken.None));
        Clock.Advance(TimeSpan.FromSeconds(61));
        var late = await SettleAsync(account, shower, "h-1", 100);
        var released = await engine.ReleaseExpiredHoldsAsync(CancellationToken.None);

        Assert.Equal(DeclineReason.HoldExpired, late.DeclineReason);
        Assert.Equal(1, released);
        Assert.Equal(0, await engine.ReleaseExpiredHoldsAsync(CancellationToken.None));
        Assert.Equal(1_000L, await PurseAsync(account));
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 28 AND outcome = 1 AND caller = 'system'"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_hold_over_the_longest_lifetime_is_refused()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var shower = await OpenMerchantAsync();

        await AssertStatusAsync(Grpc.Core.StatusCode.InvalidArgument, () => HoldAsync(account, shower, 100, "h-1", ttlSeconds: 5 * 3600));
        await AssertStatusAsync(Grpc.Core.StatusCode.InvalidArgument, () => HoldAsync(account, shower, 100, "h-2", ttlSeconds: 0));
    }

    [Fact]
    public async Task What_a_settled_hold_cost_counts_in_the_days_spend()
    {
        var account = await OpenFundedAccountAsync(50_000);
        var shower = await OpenMerchantAsync();
        var canteen = await OpenMerchantAsync();
        await HoldAsync(account, shower, 2_000, "h-spend");

        var settled = await SettleAsync(account, shower, "h-spend", 1_500);
        var status = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });
        // The daily limit is 30,000 (一密两限): 1,500 of showers and 28,600 more pass it.
        var overTheDay = await DebitAsync(Debit(account, canteen, 9_600));
        await DebitAsync(Debit(account, canteen, 9_500));
        var third = await DebitAsync(Debit(account, canteen, 9_500));

        Assert.Equal(Outcome.Approved, settled.Outcome);
        Assert.Equal(1_500L, status.Status.DaySpentFen);
        Assert.Equal(Outcome.Approved, overTheDay.Outcome);
        Assert.Equal(DeclineReason.PinRequired, third.DeclineReason);
        await AssertInvariantsAsync();
    }
}
