using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Auto top-up 自动转账 (CUMT): a low purse asks the bank gateway, which funds each request at most once.</summary>
[Trait("Suite", "Cluster")]
public class AutoTopUpTests : ServiceTestBase
{
    private Task<CardReply> SetAsync(Account account, long thresholdFen, long amountFen, string pin = DefaultPin) =>
        CallAsync(new Kiosk.KioskClient(As(Domain.CallerRole.Kiosk)).SetAutoTopUpAsync,
            new SetAutoTopUpRequest { RequestId = NextId("auto"), CardNo = account.CardNo, Pin = pin, ThresholdFen = thresholdFen, AmountFen = amountFen });

    private async Task<List<AutoTopUpRequest>> WatchAsync(long sinceId, int count)
    {
        using var call = FundingAs(Domain.CallerRole.Bank).WatchAutoTopUps(new WatchAutoTopUpsRequest { SinceId = sinceId }, deadline: DateTime.UtcNow.AddSeconds(20));
        var seen = new List<AutoTopUpRequest>();
        while (seen.Count < count && await call.ResponseStream.MoveNext(CancellationToken.None)) seen.Add(call.ResponseStream.Current);
        return seen;
    }

    private Task<FundingReply> FundAsync(Account account, long id, long amountFen, string? requestId = null) =>
        CallAsync(FundingAs(Domain.CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest
        {
            RequestId = requestId ?? NextId("bank"), PersonNo = account.PersonNo, AmountFen = amountFen, AutoTopUpId = id,
        });

    [Fact]
    public async Task A_debit_that_leaves_the_purse_below_the_threshold_asks_the_bank_which_funds_it_once()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        var set = await SetAsync(account, thresholdFen: 3_000, amountFen: 10_000);

        var debit = await DebitAsync(Debit(account, merchant, 2_500));
        var another = await DebitAsync(Debit(account, merchant, 100));
        var requests = await WatchAsync(0, 1);
        var funded = await FundAsync(account, requests[0].Id, 10_000);
        var again = await FundAsync(account, requests[0].Id, 10_000);

        Assert.Equal(Outcome.Approved, set.Outcome);
        Assert.Equal((debit.TransactionId, account.PersonNo, 10_000L, 2_500L), (requests[0].Id, requests[0].PersonNo, requests[0].AmountFen, requests[0].BalanceFen));
        Assert.Equal(Outcome.Approved, another.Outcome);
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE auto_topup_fen > 0"));
        Assert.Equal((Outcome.Approved, 12_400L), (funded.Outcome, funded.Balances.PurseFen));
        Assert.Equal(DeclineReason.AutoTopUpNotOpen, again.DeclineReason);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_funded_request_leaves_the_stream_and_the_next_low_balance_asks_again()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        await SetAsync(account, thresholdFen: 3_000, amountFen: 2_000);
        var first = await DebitAsync(Debit(account, merchant, 2_500));
        Assert.Equal(Outcome.Approved, (await FundAsync(account, first.TransactionId, 2_000)).Outcome);

        var second = await DebitAsync(Debit(account, merchant, 3_000));
        var open = await WatchAsync(0, 1);

        Assert.Equal(second.TransactionId, open.Single().Id);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task An_expired_request_cannot_be_funded_and_the_next_low_balance_opens_another()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        await SetAsync(account, thresholdFen: 3_000, amountFen: 2_000);
        var first = await DebitAsync(Debit(account, merchant, 2_500));
        Clock.Advance(TimeSpan.FromHours(1));

        var late = await FundAsync(account, first.TransactionId, 2_000);
        var second = await DebitAsync(Debit(account, merchant, 100));

        Assert.Equal(DeclineReason.AutoTopUpNotOpen, late.DeclineReason);
        Assert.Equal(second.TransactionId, (await WatchAsync(0, 1)).Single().Id);
    }

    [Fact]
    public async Task A_request_the_channel_declines_is_closed_and_the_next_low_balance_asks_again()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        // More than the bank's channel takes at once (handbook 3.1: 20 to 200 yuan).
        await SetAsync(account, thresholdFen: 3_000, amountFen: 30_000);
        var first = await DebitAsync(Debit(account, merchant, 2_500));

        var outOfRange = await FundAsync(account, first.TransactionId, 30_000);
        var after = await FundAsync(account, first.TransactionId, 20_000);
        var second = await DebitAsync(Debit(account, merchant, 100));

        Assert.Equal(DeclineReason.AmountOutOfRange, outOfRange.DeclineReason);
        Assert.Equal(DeclineReason.AutoTopUpNotOpen, after.DeclineReason);
        Assert.Equal(second.TransactionId, (await WatchAsync(0, 1)).Single().Id);
    }

    [Fact]
    public async Task A_request_is_funded_only_with_the_amount_the_cardholder_set_and_stays_open_meanwhile()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        await SetAsync(account, thresholdFen: 3_000, amountFen: 5_000);
        var first = await DebitAsync(Debit(account, merchant, 2_500));

        var more = await FundAsync(account, first.TransactionId, 10_000);
        var less = await FundAsync(account, first.TransactionId, 2_000);
        var stillOpen = await WatchAsync(0, 1);
        var funded = await FundAsync(account, first.TransactionId, 5_000);

        Assert.Equal((DeclineReason.AutoTopUpAmountDiffers, 2_500L), (more.DeclineReason, more.Balances.PurseFen));
        Assert.Equal(DeclineReason.AutoTopUpAmountDiffers, less.DeclineReason);
        Assert.Equal(first.TransactionId, stillOpen.Single().Id);
        Assert.Equal((Outcome.Approved, 7_500L), (funded.Outcome, funded.Balances.PurseFen));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Auto_top_up_needs_the_card_pin_and_both_amounts_or_neither()
    {
        var account = await OpenFundedAccountAsync(5_000);

        Assert.Equal(DeclineReason.WrongPin, (await SetAsync(account, 3_000, 1_000, pin: "999999")).DeclineReason);
        await AssertStatusAsync(StatusCode.InvalidArgument, () => SetAsync(account, 3_000, 0));
        Assert.Equal(Outcome.Approved, (await SetAsync(account, 0, 0)).Outcome);
    }
}
