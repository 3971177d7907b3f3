using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>A campus whose "online" channel's top-ups the card must confirm (handbook 3.1 way two).</summary>
public abstract class PendingTestBase : ServiceTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Channels:online:ToPending", "true"), new("Channels:online:MaxFen", "50000")];

    protected Task<FundingReply> TopUpAsync(string personNo, long amountFen, string channel) =>
        CallAsync(FundingAs(Domain.CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = NextId("bank"), PersonNo = personNo, AmountFen = amountFen, Channel = channel });

    protected Task<ClaimPendingReply> ClaimAsync(Account account, string? requestId = null) =>
        CallAsync(new Kiosk.KioskClient(As(Domain.CallerRole.Kiosk)).ClaimPendingAsync, new ClaimPendingRequest { RequestId = requestId ?? NextId("claim"), CardNo = account.CardNo });
}

/// <summary>The pending balance 过渡余额: top-ups the card must confirm wait there until claimed (handbook 2.2, 3.1 way two).</summary>
public class PendingBalanceTests : PendingTestBase
{
    [Fact]
    public async Task A_top_up_through_a_channel_the_card_must_confirm_waits_as_pending()
    {
        var account = await OpenAccountAsync();

        var reply = await TopUpAsync(account.PersonNo, 5_000, "online");

        Assert.Equal((Outcome.Approved, Effect.ToPending), (reply.Outcome, reply.Effect));
        Assert.Equal(new Balances { PurseFen = 0, PendingFen = 5_000 }, reply.Balances);
        Assert.Equal(0L, await PurseAsync(account));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_claim_at_a_kiosk_moves_every_pending_amount_into_the_purse_in_one_transaction()
    {
        var account = await OpenFundedAccountAsync(1_000);
        await TopUpAsync(account.PersonNo, 5_000, "online");
        await TopUpAsync(account.PersonNo, 2_500, "online");

        var claim = await ClaimAsync(account);
        var again = await ClaimAsync(account);

        Assert.Equal((Outcome.Approved, 7_500L), (claim.Outcome, claim.ClaimedFen));
        Assert.Equal(new Balances { PurseFen = 8_500, PendingFen = 0 }, claim.Balances);
        Assert.Equal((Outcome.Declined, DeclineReason.NothingPending), (again.Outcome, again.DeclineReason));
        Assert.Equal(1L, await Database.ScalarAsync<long>($"SELECT count(*) FROM transactions WHERE kind = 17 AND outcome = 1 AND moved_fen = 7500 AND from_kind = 3 AND to_kind = 1"));
        await AssertInvariantsAsync([claim.TransactionId]);
    }

    [Fact]
    public async Task A_lost_card_cannot_claim_and_a_frozen_one_can()
    {
        var lost = await OpenAccountAsync();
        var frozen = await OpenAccountAsync();
        await TopUpAsync(lost.PersonNo, 1_000, "online");
        await TopUpAsync(frozen.PersonNo, 1_000, "online");
        await SetCardStateAsync(lost, Domain.CardState.Lost);
        await SetCardStateAsync(frozen, Domain.CardState.Frozen);

        Assert.Equal(DeclineReason.CardLost, (await ClaimAsync(lost)).DeclineReason);
        Assert.Equal(1_000L, (await ClaimAsync(frozen)).ClaimedFen);
    }

    [Fact]
    public async Task Without_auto_claim_a_debit_leaves_the_pending_amount_alone()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await TopUpAsync(account.PersonNo, 5_000, "online");

        var reply = await DebitAsync(Debit(account, merchant, 2_000));

        Assert.Equal((Outcome.Declined, DeclineReason.InsufficientFunds), (reply.Outcome, reply.DeclineReason));
        Assert.Equal(5_000L, (await ClaimAsync(account)).ClaimedFen);
    }
}

/// <summary>Where the campus claims automatically (CUMT: 在食堂或者超市消费时，充值的钱会自动转到校园卡上).</summary>
public class AutoClaimTests : PendingTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Cards:AutoClaim", "true")];

    [Fact]
    public async Task The_next_debit_first_claims_the_pending_amount_in_the_same_decision_and_says_so()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await TopUpAsync(account.PersonNo, 5_000, "online");

        var reply = await DebitAsync(Debit(account, merchant, 2_000));

        Assert.Equal((Outcome.Approved, 5_000L, 4_000L), (reply.Outcome, reply.ClaimedFen, reply.BalanceFen));
        Assert.Equal(new Balances { PurseFen = 4_000, PendingFen = 0 }, reply.Balances);
        // One transaction: the debit's legs and the claim's side legs.
        Assert.Equal("2000 5000 5", await Database.ScalarAsync<string>(
            $"SELECT concat_ws(' ', moved_fen, side_fen, effect) FROM transactions WHERE id = {reply.TransactionId}"));
        await AssertInvariantsAsync([reply.TransactionId]);
    }

    [Fact]
    public async Task A_declined_debit_claims_nothing()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await TopUpAsync(account.PersonNo, 500, "online");

        var reply = await DebitAsync(Debit(account, merchant, 2_000));

        Assert.Equal((Outcome.Declined, DeclineReason.InsufficientFunds, 0L), (reply.Outcome, reply.DeclineReason, reply.ClaimedFen));
        Assert.Equal(500L, (await ClaimAsync(account)).ClaimedFen);
        await AssertInvariantsAsync();
    }
}
