using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Subsidy batches 补助 (handbook 2.2): uploaded by the card office, claimed at a kiosk, recalled after the deadline.</summary>
public class SubsidyTests : ServiceTestBase
{
    private async Task<IssueSubsidiesReply> UploadAsync(string batchId, IEnumerable<SubsidyRow> rows, int perMessage = 2, DateTimeOffset? deadline = null)
    {
        using var call = Cards.IssueSubsidies(deadline: DateTime.UtcNow.AddSeconds(60));
        var first = true;
        foreach (var chunk in rows.Chunk(perMessage))
        {
            var upload = new SubsidyUpload { BatchId = batchId };
            if (first && deadline is { } d) upload.ClaimDeadline = Timestamp.FromDateTimeOffset(d);
            first = false;
            upload.Rows.AddRange(chunk);
            await call.RequestStream.WriteAsync(upload);
        }
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    private static SubsidyRow Row(Account account, long amountFen) => new() { PersonNo = account.PersonNo, AmountFen = amountFen, Memo = "助学金" };

    private Task<ClaimPendingReply> ClaimAsync(Account account) =>
        CallAsync(new Kiosk.KioskClient(As(Domain.CallerRole.Kiosk)).ClaimPendingAsync, new ClaimPendingRequest { RequestId = NextId("claim"), CardNo = account.CardNo });

    private Task<RecallSubsidiesReply> RecallAsync(string batchId) => CallAsync(Cards.RecallSubsidiesAsync, new RecallSubsidiesRequest { BatchId = batchId });

    [Fact]
    public async Task A_batch_issues_each_row_to_the_pending_balance_and_sums_up_what_it_did()
    {
        var (a, b, closed) = (await OpenAccountAsync(), await OpenAccountAsync(), await OpenAccountAsync());
        await SetCardStateAsync(closed, Domain.CardState.Closed);

        var reply = await UploadAsync("B2026-09", [Row(a, 30_000), Row(b, 15_000), Row(closed, 100), new SubsidyRow { PersonNo = "NOBODY", AmountFen = 100 }]);

        Assert.Equal((4L, 2L, 45_000L, 0L), (reply.Rows, reply.Issued, reply.IssuedFen, reply.AlreadyIssued));
        Assert.Equal(["NOBODY"], reply.UnknownPersonNos);
        Assert.Equal([closed.PersonNo], reply.ClosedPersonNos);
        Assert.Equal(new Balances { PendingFen = 30_000 }, (await CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = a.CardNo })).Balances);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task An_interrupted_upload_sent_again_issues_each_row_once()
    {
        var accounts = new List<Account>();
        for (var i = 0; i < 6; i++) accounts.Add(await OpenAccountAsync());
        var rows = accounts.Select(a => Row(a, 1_000)).ToList();

        var first = await UploadAsync("B-RETRY", rows.Take(4));
        var again = await UploadAsync("B-RETRY", rows);

        Assert.Equal((4L, 0L), (first.Issued, first.AlreadyIssued));
        Assert.Equal((2L, 4L), (again.Issued, again.AlreadyIssued));
        Assert.Equal(6_000L, await Database.ScalarAsync<long>("SELECT sum(moved_fen)::bigint FROM transactions WHERE kind = 18 AND outcome = 1"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_row_sent_again_with_another_amount_is_listed_as_conflicting_and_the_first_stands()
    {
        var (a, b) = (await OpenAccountAsync(), await OpenAccountAsync());
        await UploadAsync("B-CHANGED", [Row(a, 1_000)]);

        var again = await UploadAsync("B-CHANGED", [Row(a, 1_500), Row(b, 700)]);

        Assert.Equal([a.PersonNo], again.ConflictingPersonNos);
        Assert.Equal((1L, 0L), (again.Issued, again.AlreadyIssued));
        Assert.Equal(1_700L, await Database.ScalarAsync<long>("SELECT sum(moved_fen)::bigint FROM transactions WHERE kind = 18 AND outcome = 1"));
    }

    [Fact]
    public async Task A_malformed_row_refuses_the_whole_upload_and_issues_nothing()
    {
        var account = await OpenAccountAsync();

        var e = await AssertStatusAsync(StatusCode.InvalidArgument, () => UploadAsync("B-BAD", [Row(account, 1_000), Row(account, 0)]));
        var twice = await AssertStatusAsync(StatusCode.InvalidArgument, () => UploadAsync("B-BAD", [Row(account, 1_000), Row(account, 500)]));

        Assert.Contains("rows[1]", e.Status.Detail);
        Assert.Contains("rows[1]", twice.Status.Detail);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 18"));
    }

    [Fact]
    public async Task A_claimed_subsidy_reaches_the_purse_and_is_not_recalled()
    {
        var (claimer, forgetful) = (await OpenAccountAsync(), await OpenAccountAsync());
        var deadline = Clock.GetUtcNow().AddDays(30);
        await UploadAsync("B-RECALL", [Row(claimer, 2_000), Row(forgetful, 3_000)], deadline: deadline);

        var claim = await ClaimAsync(claimer);
        var early = await AssertStatusAsync(StatusCode.FailedPrecondition, () => RecallAsync("B-RECALL"));
        Clock.Advance(TimeSpan.FromDays(31));
        var recall = await RecallAsync("B-RECALL");
        var again = await RecallAsync("B-RECALL");

        Assert.Equal(2_000L, claim.ClaimedFen);
        Assert.Contains("recalled after", early.Status.Detail);
        Assert.Equal((1L, 3_000L, 1L), (recall.Recalled, recall.RecalledFen, recall.Claimed));
        Assert.Equal((0L, 2L), (again.Recalled, again.Claimed));
        Assert.Equal(new Balances { PurseFen = 2_000 }, (await CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = claimer.CardNo })).Balances);
        Assert.Equal(new Balances(), (await CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = forgetful.CardNo })).Balances);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_top_up_pending_beside_a_subsidy_stays_when_the_subsidy_is_recalled()
    {
        var account = await OpenAccountAsync();
        await UploadAsync("B-MIXED", [Row(account, 3_000)], deadline: Clock.GetUtcNow().AddDays(1));
        await CallAsync(FundingAs(Domain.CallerRole.Bank).QuotaTopUpAsync, new QuotaTopUpRequest { RequestId = NextId("bank"), PersonNo = account.PersonNo, AmountFen = 700, Channel = "online" });
        Clock.Advance(TimeSpan.FromDays(2));

        var recall = await RecallAsync("B-MIXED");

        Assert.Equal(3_000L, recall.RecalledFen);
        Assert.Equal(700L, (await ClaimAsync(account)).ClaimedFen);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Recalling_a_batch_nobody_uploaded_is_not_found()
    {
        await AssertStatusAsync(StatusCode.NotFound, () => RecallAsync("B-NONE"));
    }
}
