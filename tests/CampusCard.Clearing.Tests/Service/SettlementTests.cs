using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>A day of trade at three merchants, and the finance role's settlement runs.</summary>
public abstract class SettlementTestBase : ServiceTestBase
{
    protected Finance.FinanceClient Finance => new(As(Domain.CallerRole.Finance));

    protected Task<SettlementReport> RunAsync(string day) => CallAsync(Finance.RunSettlementAsync, new RunSettlementRequest { BusinessDate = day });

    /// <summary>A day of 2026-09-01 at three merchants: debits and a reversal, a settled hold, a payment and a refund.</summary>
    protected async Task<(Contracts.V1.Merchant Canteen, Contracts.V1.Merchant Shower, Contracts.V1.Merchant Payee)> TradeAsync()
    {
        var account = await OpenFundedAccountAsync(20_000);
        var (canteen, shower) = (await OpenMerchantAsync("CANTEEN-1"), await OpenMerchantAsync("SHOWER-1"));
        var payee = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "NETWORK", Name = "网费", Category = MerchantCategory.NetworkFee });
        var payments = new Payments.PaymentsClient(As(Domain.CallerRole.Payments));
        await DebitAsync(Debit(account, canteen, 1_000));
        await DebitAsync(Debit(account, canteen, 500, "d-500"));
        await ReverseAsync(account, "d-500");
        await CallAsync(TerminalOf(shower.MerchantId).HoldAsync, new HoldRequest { RequestId = "h-1", CardNo = account.CardNo, MaxFen = 800, TtlSeconds = 600 });
        await CallAsync(TerminalOf(shower.MerchantId).SettleHoldAsync, new SettleHoldRequest { RequestId = "s-1", HoldRequestId = "h-1", CardNo = account.CardNo, AmountFen = 300 });
        await CallAsync(Funding.CreditAsync, new CreditRequest { RequestId = "w", PersonNo = account.PersonNo, AmountFen = 1, Source = Contracts.V1.SystemAccount.Suspense });
        await CallAsync(FundingAs(Domain.CallerRole.Kiosk).TransferAsync, new TransferRequest { RequestId = "t-1", PersonNo = account.PersonNo, AmountFen = 2_000, Direction = TransferDirection.PurseToWallet });
        await CallAsync(payments.SetPasswordAsync, new SetPaymentPasswordRequest { RequestId = "pw", PersonNo = account.PersonNo, Password = "246813", Pin = DefaultPin });
        await CallAsync(payments.PayAsync, new PayRequest { RequestId = "p-1", PersonNo = account.PersonNo, PayeeMerchantId = payee.MerchantId, AmountFen = 1_000, Source = PaymentSource.Wallet, Password = "246813" });
        await CallAsync(payments.RefundAsync, new RefundRequest { RequestId = "r-1", PersonNo = account.PersonNo, PaymentRequestId = "p-1", PayeeMerchantId = payee.MerchantId, AmountFen = 200 });
        // The next business day, after its cut-off (02:00), with a debit of its own.
        Clock.Advance(TimeSpan.FromHours(15));
        await DebitAsync(Debit(account, canteen, 300));
        return (canteen, shower, payee);
    }
}

/// <summary>Merchant settlement 结算 (art. 8): each merchant's net takings of a business day → bank clearing, once.</summary>
[Trait("Suite", "Cluster")]
public class SettlementTests : SettlementTestBase
{
    [Fact]
    public async Task Each_merchants_net_takings_of_the_day_move_to_bank_clearing_once_however_often_it_runs()
    {
        await TradeAsync();

        var runs = await Task.WhenAll(RunAsync("2026-09-01"), RunAsync("2026-09-01"));
        var again = await RunAsync("2026-09-01");

        Assert.Equal("CANTEEN-1 2 1500 1 500 0 0 1000 1000, NETWORK 1 1000 0 0 1 200 800 800, SHOWER-1 1 300 0 0 0 0 300 300", string.Join(", ",
            runs[0].Merchants.Select(m => string.Join(' ', m.MerchantId, m.Sales, m.GrossFen, m.Reversals, m.ReversalsFen, m.Refunds, m.RefundsFen, m.NetFen, m.SettledFen))));
        Assert.Equal((2_100L, 2_100L), (runs[0].NetFen, runs[0].SettledFen));
        Assert.Equal(runs[0].Merchants.Select(m => m.TransactionId), runs[1].Merchants.Select(m => m.TransactionId));
        Assert.Equal(3, runs.SelectMany(r => r.Merchants).Count(m => !m.SettledBefore));
        Assert.All(again.Merchants, m => Assert.True(m.SettledBefore));
        Assert.Equal(3L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 29"));
        Assert.Equal("CANTEEN-1 300, NETWORK 0, SHOWER-1 0", await Database.ScalarAsync<string>(
            "SELECT string_agg(m.merchant_id || ' ' || coalesce(b.balance_fen, 0), ', ' ORDER BY m.merchant_id) FROM merchants m LEFT JOIN account_balances b ON b.kind = 4 AND b.owner = m.no"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task The_settlement_report_equals_the_journals_merchant_days()
    {
        await TradeAsync();

        var report = await RunAsync("2026-09-01");

        Assert.Equal(await Database.ScalarAsync<string>(
                "SELECT string_agg(concat_ws(' ', merchant_id, sales, gross_fen, reversals_fen, refunds_fen, net_fen), ', ' ORDER BY merchant_id) FROM merchant_days WHERE business_date = '2026-09-01'"),
            string.Join(", ", report.Merchants.Select(m => string.Join(' ', m.MerchantId, m.Sales, m.GrossFen, m.ReversalsFen, m.RefundsFen, m.NetFen))));
        Assert.Equal(report.SettledFen, await Database.ScalarAsync<long>("SELECT sum(settled_fen)::bigint FROM settlements WHERE business_date = '2026-09-01'"));
    }

    [Fact]
    public async Task A_day_is_not_settled_before_its_cut_off_and_a_bad_date_is_invalid()
    {
        var e = await AssertStatusAsync(StatusCode.FailedPrecondition, () => RunAsync("2026-09-01"));
        await AssertStatusAsync(StatusCode.InvalidArgument, () => RunAsync("yesterday"));

        Assert.Contains("02:00", e.Status.Detail);
    }
}

/// <summary>The service settles the day before by itself after the cut-off.</summary>
public class SettlementScheduleTests : SettlementTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Finance:SettlementInterval", "00:00:00.2")];

    [Fact]
    public async Task After_the_cut_off_the_day_before_is_settled_without_being_asked()
    {
        await TradeAsync();

        long settled = 0;
        for (var i = 0; i < 100 && settled < 3; i++)
        {
            await Task.Delay(100);
            settled = await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 29 AND caller = 'system'");
        }

        Assert.Equal(3L, settled);
        Assert.All((await RunAsync("2026-09-01")).Merchants, m => Assert.True(m.SettledBefore));
    }
}
