using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// Money that reaches an account after 报退 (art. 15): whatever credits or debits a closed person later — a payment's refund,
/// a reversal, a late offline record — is booked to refunds payable for that person, never to the dead purse.
/// </summary>
public class AfterCloseTests : ServiceTestBase
{
    private const string Password = "246813";

    private Payments.PaymentsClient Platform => new(As(Domain.CallerRole.Payments));

    [Fact]
    public async Task A_refund_and_a_reversal_after_the_close_go_to_refunds_payable_for_the_person_not_the_closed_purse()
    {
        var account = await OpenFundedAccountAsync(3_000);
        var canteen = await OpenMerchantAsync();
        var payee = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = NextId("PAYEE"), Name = "电费", Category = MerchantCategory.Electricity });
        await CallAsync(Platform.SetPasswordAsync, new SetPaymentPasswordRequest { RequestId = NextId("pw"), PersonNo = account.PersonNo, Password = Password, Pin = DefaultPin });
        await CallAsync(Platform.PayAsync, new PayRequest
        {
            RequestId = "pay-1", PersonNo = account.PersonNo, PayeeMerchantId = payee.MerchantId, AmountFen = 1_000, Source = PaymentSource.Purse, Password = Password,
        });
        await DebitAsync(Debit(account, canteen, 500, "debit-1"));

        var closed = await CallAsync(Cards.CloseAccountAsync, new CloseAccountRequest { RequestId = NextId("close"), PersonNo = account.PersonNo });
        var refund = await CallAsync(Platform.RefundAsync, new RefundRequest
        {
            RequestId = NextId("refund"), PersonNo = account.PersonNo, PaymentRequestId = "pay-1", PayeeMerchantId = payee.MerchantId, AmountFen = 1_000,
        });
        var reversal = await ReverseAsync(account, "debit-1");
        var statement = await CallAsync(new Statements.StatementsClient(As(Domain.CallerRole.Office)).GetStatementAsync, new GetStatementRequest { PersonNo = account.PersonNo });
        var after = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });

        Assert.Equal((Outcome.Approved, 1_500L), (closed.Outcome, closed.AmountFen));
        Assert.Equal((Outcome.Approved, new Balances()), (refund.Outcome, refund.Balances));
        Assert.Equal((Outcome.Approved, 0L), (reversal.Outcome, reversal.BalanceFen));
        Assert.Equal(new Balances(), after.Balances);
        Assert.Equal(3_000L, await RefundsPayableAsync(account));
        Assert.Equal([("reversal", 0L, 500L), ("payment_refund", 0L, 1_000L), ("close_account", -1_500L, 1_500L)],
            statement.Lines.Take(3).Select(l => (l.Kind, l.PurseChangeFen, l.RefundChangeFen)));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_late_offline_record_after_the_close_is_taken_from_refunds_payable_and_flagged()
    {
        var account = await OpenFundedAccountAsync(2_000);
        var canteen = await OpenMerchantAsync();
        await CallAsync(Cards.CloseAccountAsync, new CloseAccountRequest { RequestId = NextId("close"), PersonNo = account.PersonNo });

        using var call = TerminalOf(canteen.MerchantId).UploadOffline(deadline: DateTime.UtcNow.AddSeconds(60));
        await call.RequestStream.WriteAsync(new OfflineRecord
        {
            TerminalSeq = 1, CardNo = account.CardNo, AmountFen = 300, OccurredAt = Timestamp.FromDateTimeOffset(Clock.GetUtcNow().AddHours(-1)),
        });
        await call.RequestStream.CompleteAsync();
        var result = (await call.ResponseAsync).Results.Single();

        Assert.Equal((Outcome.Approved, Effect.UsedAfterClose, 0L), (result.Outcome, result.Effect, result.BalanceFen));
        Assert.Equal(1_700L, await RefundsPayableAsync(account));
        Assert.Equal(new Balances(), (await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo })).Balances);
        await AssertInvariantsAsync();
    }

    /// <summary>What refunds payable owes the person: its legs on the person's rows.</summary>
    private Task<long> RefundsPayableAsync(Account account) => Database.ScalarAsync<long>($"""
        SELECT coalesce(sum(CASE WHEN to_kind = 5 AND to_owner = 4 THEN moved_fen ELSE 0 END)
                      - sum(CASE WHEN from_kind = 5 AND from_owner = 4 THEN moved_fen ELSE 0 END), 0)::bigint
          FROM transactions t JOIN holders h ON h.id = t.holder_id
         WHERE h.person_no = '{account.PersonNo}' AND t.outcome = 1
        """);
}
