using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Offline records 脱机流水上传: they already happened, so each is recorded once, whatever the card's state and balance now.</summary>
public class OfflineTests : ServiceTestBase
{
    private OfflineRecord Record(Account account, long seq, long amountFen, TimeSpan ago) => new()
    {
        TerminalSeq = seq,
        CardNo = account.CardNo,
        AmountFen = amountFen,
        OccurredAt = Timestamp.FromDateTimeOffset(Clock.GetUtcNow() - ago),
    };

    private async Task<UploadOfflineReply> UploadAsync(Contracts.V1.Merchant merchant, params OfflineRecord[] records)
    {
        using var call = TerminalOf(merchant.MerchantId).UploadOffline(deadline: DateTime.UtcNow.AddSeconds(60));
        foreach (var r in records) await call.RequestStream.WriteAsync(r);
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    [Fact]
    public async Task Each_record_is_recorded_once_even_uploaded_twice_out_of_order_or_over_two_connections_at_once()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var canteen = await OpenMerchantAsync();
        var records = Enumerable.Range(1, 20).Select(i => Record(account, i, 100, TimeSpan.FromMinutes(30 - i))).ToArray();

        var first = await UploadAsync(canteen, records.Take(10).Reverse().ToArray());
        var both = await Task.WhenAll(UploadAsync(canteen, records), UploadAsync(canteen, records.Reverse().ToArray()));

        Assert.Equal((10L, 0L, 0L), (first.Recorded, first.Duplicates, first.Failed));
        Assert.Equal(10L, both[0].Recorded + both[1].Recorded);
        Assert.Equal(30L, both[0].Duplicates + both[1].Duplicates);
        Assert.Equal(8_000L, await PurseAsync(account));
        Assert.Equal(20L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 25"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_record_that_overdraws_the_purse_freezes_the_card_and_the_top_up_that_repays_it_lifts_the_freeze()
    {
        var account = await OpenFundedAccountAsync(500);
        var canteen = await OpenMerchantAsync();

        var upload = await UploadAsync(canteen, Record(account, 1, 800, TimeSpan.FromHours(1)));
        var refused = await DebitAsync(Debit(account, canteen, 10));
        var partly = await CreditAsync(account.PersonNo, 200);
        var stillFrozen = await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = NextId("unfreeze"), PersonNo = account.PersonNo });
        var repaid = await CreditAsync(account.PersonNo, 100);

        Assert.Equal((Outcome.Approved, -300L, CardState.Frozen), (upload.Results[0].Outcome, upload.Results[0].BalanceFen, upload.Results[0].CardState));
        Assert.Equal(DeclineReason.CardFrozen, refused.DeclineReason);
        Assert.Equal(-100L, partly.Balances.PurseFen);
        Assert.Equal(DeclineReason.StillOverdrawn, stillFrozen.DeclineReason);
        var state = await CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo });

        Assert.Equal((Outcome.Approved, -300L, CardState.Frozen), (upload.Results[0].Outcome, upload.Results[0].BalanceFen, upload.Results[0].CardState));
        Assert.Equal(DeclineReason.CardFrozen, refused.DeclineReason);
        Assert.Equal(-100L, partly.Balances.PurseFen);
        Assert.Equal(DeclineReason.StillOverdrawn, stillFrozen.DeclineReason);
        Assert.Equal((0L, CardState.Active), (repaid.Balances.PurseFen, state.CardState));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_record_of_a_card_lost_before_it_was_used_is_recorded_and_flagged_and_one_from_before_the_loss_is_not()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var canteen = await OpenMerchantAsync();
        await SetCardStateAsync(account, Domain.CardState.Lost);
        Clock.Advance(TimeSpan.FromMinutes(10));

        var upload = await UploadAsync(canteen, Record(account, 1, 100, TimeSpan.FromMinutes(20)), Record(account, 2, 200, TimeSpan.FromMinutes(5)));

        Assert.Equal((Effect.Unspecified, Effect.UsedWhileLost), (upload.Results[0].Effect, upload.Results[1].Effect));
        Assert.Equal((2L, 1L), (upload.Recorded, upload.Flagged));
        Assert.Equal(4_700L, upload.Results[1].BalanceFen);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_record_of_a_card_nobody_holds_is_declined_and_a_malformed_one_is_refused_alone()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var canteen = await OpenMerchantAsync();
        var stranger = Record(account, 1, 100, TimeSpan.FromMinutes(5));
        stranger.CardNo = "8000000000";
        var future = Record(account, 2, 100, -TimeSpan.FromHours(1));
        var fine = Record(account, 3, 100, TimeSpan.FromMinutes(5));

        var upload = await UploadAsync(canteen, stranger, future, fine);

        Assert.Equal((Outcome.Declined, DeclineReason.UnknownCard), (upload.Results[0].Outcome, upload.Results[0].DeclineReason));
        Assert.Equal((int)Grpc.Core.StatusCode.InvalidArgument, upload.Results[1].Status.Code);
        Assert.Contains("future", upload.Results[1].Status.Message);
        Assert.Equal((Outcome.Approved, 4_900L), (upload.Results[2].Outcome, upload.Results[2].BalanceFen));
        Assert.Equal((1L, 1L), (upload.Recorded, upload.Failed));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_sequence_number_the_terminal_used_for_another_card_is_refused()
    {
        var (a, b) = (await OpenFundedAccountAsync(5_000), await OpenFundedAccountAsync(5_000));
        var canteen = await OpenMerchantAsync();
        await UploadAsync(canteen, Record(a, 7, 100, TimeSpan.FromMinutes(5)));

        var reused = await UploadAsync(canteen, Record(b, 7, 100, TimeSpan.FromMinutes(4)), Record(b, 8, 100, TimeSpan.FromMinutes(3)), Record(a, 8, 100, TimeSpan.FromMinutes(2)));

        Assert.Equal((int)Grpc.Core.StatusCode.AlreadyExists, reused.Results[0].Status.Code);
        Assert.Equal(Outcome.Approved, reused.Results[1].Outcome);
        Assert.Equal((int)Grpc.Core.StatusCode.AlreadyExists, reused.Results[2].Status.Code);
        Assert.Equal(4_900L, await PurseAsync(b));
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 25"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Another_terminals_records_are_refused()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var (canteen, other) = (await OpenMerchantAsync(), await OpenMerchantAsync());
        var record = Record(account, 1, 100, TimeSpan.FromMinutes(5));
        record.TerminalId = TerminalIdOf(other.MerchantId);

        var upload = await UploadAsync(canteen, record);

        Assert.Equal((int)Grpc.Core.StatusCode.PermissionDenied, upload.Results[0].Status.Code);
        Assert.Equal(5_000L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_record_older_than_the_campus_books_is_declined_on_its_own_not_booked_and_listed()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var canteen = await OpenMerchantAsync();

        var upload = await UploadAsync(canteen, Record(account, 1, 100, TimeSpan.FromDays(11)), Record(account, 2, 200, TimeSpan.FromDays(9)));
        var again = await UploadAsync(canteen, Record(account, 1, 100, TimeSpan.FromDays(11)));

        Assert.Equal((Outcome.Declined, DeclineReason.OfflineRecordTooOld), (upload.Results[0].Outcome, upload.Results[0].DeclineReason));
        Assert.Equal(Outcome.Approved, upload.Results[1].Outcome);
        Assert.Equal((DeclineReason.OfflineRecordTooOld, true), (again.Results[0].DeclineReason, again.Results[0].Duplicate));
        Assert.Equal(800L, await PurseAsync(account));
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 25 AND outcome = 2 AND reason = 43 AND from_kind IS NULL"));
        Assert.Equal($"{account.PersonNo} {canteen.MerchantId} 1.00",
            await Database.ScalarAsync<string>("SELECT person_no || ' ' || merchant_id || ' ' || amount_yuan FROM offline_records_refused WHERE terminal_seq = 1"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task The_statement_and_the_bill_count_an_offline_record_on_the_day_it_happened()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var canteen = await OpenMerchantAsync();
        var statements = new Statements.StatementsClient(As(Domain.CallerRole.Payments));
        // 12:00 on 1 September in Beijing; the record happened on 30 August and is uploaded in September.
        var record = Record(account, 1, 700, TimeSpan.FromDays(2));

        await UploadAsync(canteen, record);
        var august = await CallAsync(statements.GetStatementAsync, new GetStatementRequest { PersonNo = account.PersonNo, FromDate = "2026-08-30", ToDate = "2026-08-30" });
        var september = await CallAsync(statements.GetStatementAsync, new GetStatementRequest { PersonNo = account.PersonNo, FromDate = "2026-09-01", ToDate = "2026-09-01" });
        var augustBill = await CallAsync(statements.GetMonthlyBillAsync, new GetMonthlyBillRequest { PersonNo = account.PersonNo, Month = "2026-08" });
        var septemberBill = await CallAsync(statements.GetMonthlyBillAsync, new GetMonthlyBillRequest { PersonNo = account.PersonNo, Month = "2026-09" });

        Assert.Equal(("offline_debit", -700L, record.OccurredAt), (august.Lines.Single().Kind, august.Lines.Single().AmountFen, august.Lines.Single().OccurredAt));
        Assert.Equal(["credit"], september.Lines.Select(l => l.Kind));
        Assert.Equal((700L, 0L), (augustBill.TotalFen, septemberBill.TotalFen));
    }
}
