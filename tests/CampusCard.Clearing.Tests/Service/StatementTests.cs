using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Statements 流水 and monthly bills 我的账单 over two months of a cardholder's known transactions.</summary>
public class StatementTests : ServiceTestBase
{
    private Account _account = null!;

    private Statements.StatementsClient Statements => new(As(Domain.CallerRole.Payments));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _account = await OpenFundedAccountAsync(10_000);
        var canteen = await OpenMerchantAsync("CANTEEN-2");
        var shower = await OpenAsync("SHOWER-1", MerchantCategory.Bath);
        var market = await OpenAsync("MARKET-1", MerchantCategory.Supermarket);
        var network = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "NETWORK", Name = "网费", Category = MerchantCategory.NetworkFee });
        var payments = new Payments.PaymentsClient(As(Domain.CallerRole.Payments));
        // September: dining 1,200 (and 800 reversed), bath 300 of a 500 hold, internet 500 paid from the e-wallet.
        await DebitAsync(Debit(_account, canteen, 1_200));
        await DebitAsync(Debit(_account, canteen, 800, "d-800"));
        await ReverseAsync(_account, "d-800");
        await CallAsync(TerminalOf(shower.MerchantId).HoldAsync, new HoldRequest { RequestId = "h-1", CardNo = _account.CardNo, MaxFen = 500, TtlSeconds = 600 });
        await CallAsync(TerminalOf(shower.MerchantId).SettleHoldAsync, new SettleHoldRequest { RequestId = "s-1", HoldRequestId = "h-1", CardNo = _account.CardNo, AmountFen = 300 });
        await CallAsync(FundingAs(Domain.CallerRole.Bank).TopUpWalletAsync, new TopUpWalletRequest { RequestId = "w-1", PersonNo = _account.PersonNo, AmountFen = 1_000 });
        await CallAsync(payments.SetPasswordAsync, new SetPaymentPasswordRequest { RequestId = "pw", PersonNo = _account.PersonNo, Password = "246813", Pin = DefaultPin });
        await CallAsync(payments.PayAsync, new PayRequest { RequestId = "p-1", PersonNo = _account.PersonNo, PayeeMerchantId = network.MerchantId, AmountFen = 500, Source = PaymentSource.Wallet, Password = "246813" });
        // October: dining 600, supermarket 400, and 200 of September's network fee refunded.
        Clock.Advance(TimeSpan.FromDays(31));
        await DebitAsync(Debit(_account, canteen, 600));
        await DebitAsync(Debit(_account, market, 400));
        await CallAsync(payments.RefundAsync, new RefundRequest { RequestId = "r-1", PersonNo = _account.PersonNo, PaymentRequestId = "p-1", PayeeMerchantId = network.MerchantId, AmountFen = 200 });
    }

    private async Task<Contracts.V1.Merchant> OpenAsync(string merchantId, MerchantCategory category)
    {
        var merchant = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = merchantId, Name = merchantId, Category = category });
        await CallAsync(Cards.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = TerminalIdOf(merchantId), MerchantId = merchantId });
        return merchant;
    }

    [Fact]
    public async Task The_monthly_bill_sums_spend_per_category_less_what_was_given_back_and_the_six_months_before()
    {
        var bill = await CallAsync(Statements.GetMonthlyBillAsync, new GetMonthlyBillRequest { PersonNo = _account.PersonNo, Month = "2026-10" });

        Assert.Equal("dining 600, bath 0, internet -200, library 0, supermarket 400, other 0",
            string.Join(", ", bill.Categories.Select(c => $"{Domain.CodeTable.SnakeCase(((Domain.MerchantCategory)c.Category).ToString())} {c.AmountFen}")));
        Assert.Equal(800L, bill.TotalFen);
        Assert.Equal("2026-05 0, 2026-06 0, 2026-07 0, 2026-08 0, 2026-09 2000, 2026-10 800", string.Join(", ", bill.LastSixMonths.Select(m => $"{m.Month} {m.AmountFen}")));
    }

    [Fact]
    public async Task A_statement_lists_what_moved_money_newest_first_page_by_page_with_merchants_and_balances()
    {
        var lines = new List<Contracts.V1.StatementLine>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await CallAsync(Statements.GetStatementAsync,
                new GetStatementRequest { CardNo = _account.CardNo, FromDate = "2026-09-01", ToDate = "2026-10-31", PageSize = 3, PageToken = token });
            lines.AddRange(page.Lines);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(
            "payment_refund 200 NETWORK, debit -400 MARKET-1, debit -600 CANTEEN-2, payment -500 NETWORK, top_up_wallet 1000 , settle_hold -300 SHOWER-1, hold 0 SHOWER-1, " +
            "reversal 800 CANTEEN-2, debit -800 CANTEEN-2, debit -1200 CANTEEN-2, credit 10000 ",
            string.Join(", ", lines.Select(l => $"{l.Kind} {l.AmountFen} {l.MerchantId}")));
        Assert.Equal(4, pages);
        Assert.Equal(new Balances { PurseFen = 7_500, WalletFen = 700 }, lines[0].Balances);
        Assert.Equal((-300L, -500L), (lines[5].PurseChangeFen + lines[6].PurseChangeFen, lines[6].PurseChangeFen));
        Assert.Equal(lines.Select(l => l.TransactionId).OrderDescending(), lines.Select(l => l.TransactionId));
    }

    [Fact]
    public async Task A_statement_of_a_range_leaves_out_the_days_outside_it_and_bad_input_changes_nothing()
    {
        var october = await CallAsync(Statements.GetStatementAsync, new GetStatementRequest { PersonNo = _account.PersonNo, FromDate = "2026-10-01", ToDate = "2026-10-31" });

        Assert.Equal(3, october.Lines.Count);
        Assert.Equal("", october.NextPageToken);
        await AssertStatusAsync(StatusCode.NotFound, () => CallAsync(Statements.GetStatementAsync, new GetStatementRequest { PersonNo = "NOBODY" }));
        await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Statements.GetStatementAsync, new GetStatementRequest { PersonNo = _account.PersonNo, FromDate = "10/01/2026" }));
        await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Statements.GetMonthlyBillAsync, new GetMonthlyBillRequest { PersonNo = _account.PersonNo, Month = "October" }));
    }
}
