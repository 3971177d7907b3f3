using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// What issue 11's kinds keep beyond balances (open holds, pending amounts, a payment's refunds, an open auto top-up
/// request, the payment password's state, an overdraft freeze) is rebuilt from the journal when Redis loses it.
/// </summary>
[Trait("Suite", "Cluster")]
public class FundsRecoveryTests : ServiceTestBase
{
    private Payments.PaymentsClient Platform => new(As(Domain.CallerRole.Payments));

    private Terminal.TerminalClient Shower(Contracts.V1.Merchant merchant) => TerminalOf(merchant.MerchantId);

    [Fact]
    public async Task Holds_pending_refunds_auto_top_ups_and_overdrafts_are_rebuilt_from_the_journal_after_redis_loses_them()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var overdrawn = await OpenFundedAccountAsync(100);
        var shower = await OpenMerchantAsync();
        var payee = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "NET-FEE", Name = "网费", Category = MerchantCategory.NetworkFee });
        var bank = FundingAs(Domain.CallerRole.Bank);
        await CallAsync(bank.TopUpWalletAsync, new TopUpWalletRequest { RequestId = "w-1", PersonNo = account.PersonNo, AmountFen = 2_000 });
        await CallAsync(Platform.SetPasswordAsync, new SetPaymentPasswordRequest { RequestId = "pw-1", PersonNo = account.PersonNo, Password = "246813", Pin = DefaultPin });
        await CallAsync(Platform.PayAsync, new PayRequest { RequestId = "pay-1", PersonNo = account.PersonNo, PayeeMerchantId = payee.MerchantId, AmountFen = 1_000, Source = PaymentSource.Wallet, Password = "246813" });
        await CallAsync(Platform.RefundAsync, new RefundRequest { RequestId = "refund-1", PersonNo = account.PersonNo, PaymentRequestId = "pay-1", PayeeMerchantId = payee.MerchantId, AmountFen = 400 });
        await CallAsync(Shower(shower).HoldAsync, new HoldRequest { RequestId = "h-1", CardNo = account.CardNo, MaxFen = 800, TtlSeconds = 600 });
        await CallAsync(Shower(shower).SettleHoldAsync, new SettleHoldRequest { RequestId = "s-1", HoldRequestId = "h-1", CardNo = account.CardNo, AmountFen = 300 });
        await CallAsync(Shower(shower).HoldAsync, new HoldRequest { RequestId = "h-2", CardNo = account.CardNo, MaxFen = 500, TtlSeconds = 600 });
        await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "online-1", PersonNo = account.PersonNo, AmountFen = 700, Channel = "online" });
        await CallAsync(new Kiosk.KioskClient(As(Domain.CallerRole.Kiosk)).SetAutoTopUpAsync,
            new SetAutoTopUpRequest { RequestId = "auto-1", CardNo = account.CardNo, Pin = DefaultPin, ThresholdFen = 9_000, AmountFen = 2_000 });
        var low = await DebitAsync(Debit(account, shower, 500));
        await UploadAsync(shower, overdrawn, 300);
        var before = await Task.WhenAll(new[] { account, overdrawn }.Select(AccountAsync));

        await LocalServers.DeleteKeysAsync(Prefix);
        var after = await RetryWhileUnavailableAsync(() => Task.WhenAll(new[] { account, overdrawn }.Select(AccountAsync)));
        var settledAgain = await CallAsync(Shower(shower).SettleHoldAsync, new SettleHoldRequest { RequestId = "s-2", HoldRequestId = "h-1", CardNo = account.CardNo, AmountFen = 100 });
        var openSettled = await CallAsync(Shower(shower).SettleHoldAsync, new SettleHoldRequest { RequestId = "s-3", HoldRequestId = "h-2", CardNo = account.CardNo, AmountFen = 100 });
        var overRefund = await CallAsync(Platform.RefundAsync, new RefundRequest { RequestId = "refund-2", PersonNo = account.PersonNo, PaymentRequestId = "pay-1", PayeeMerchantId = payee.MerchantId, AmountFen = 601 });
        var funded = await CallAsync(bank.QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = "auto-fund", PersonNo = account.PersonNo, AmountFen = 2_000, AutoTopUpId = low.TransactionId });

        Assert.Equal(before, after);
        Assert.Equal(new Balances { PurseFen = 8_700, WalletFen = 1_400, PendingFen = 700, HeldFen = 500 }, before[0].Balances);
        Assert.Equal((CardState.Frozen, -200L), (before[1].CardState, before[1].Balances.PurseFen));
        Assert.True(after[0].Status.PaymentPasswordSet);
        Assert.Equal(DeclineReason.HoldClosed, settledAgain.DeclineReason);
        Assert.Equal((Outcome.Approved, 400L), (openSettled.Outcome, openSettled.ReleasedFen));
        Assert.Equal(DeclineReason.OverRefund, overRefund.DeclineReason);
        Assert.Equal(Outcome.Approved, funded.Outcome);
        await AssertInvariantsAsync();
    }

    private async Task UploadAsync(Contracts.V1.Merchant merchant, Account account, long amountFen)
    {
        using var call = TerminalOf(merchant.MerchantId).UploadOffline(deadline: DateTime.UtcNow.AddSeconds(30));
        await call.RequestStream.WriteAsync(new OfflineRecord
        {
            TerminalSeq = 1, CardNo = account.CardNo, AmountFen = amountFen, OccurredAt = Timestamp.FromDateTimeOffset(Clock.GetUtcNow().AddMinutes(-5)),
        });
        await call.RequestStream.CompleteAsync();
        Assert.Equal(1L, (await call.ResponseAsync).Recorded);
    }

    private Task<Account> AccountAsync(Account account) => CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });
}
