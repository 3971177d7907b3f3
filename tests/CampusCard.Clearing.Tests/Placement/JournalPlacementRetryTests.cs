using CampusCard.Clearing.Contracts.V1;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;

namespace CampusCard.Clearing.Tests.Placement;

/// <summary>A retry after the idempotency window (hot records last 2 s here) is answered from its campus's journal database.</summary>
public class JournalPlacementRetryTests : TwoJournalDatabasesTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("HotStore:IdempotencyWindow", "00:00:02"),
        new("Engine:AgedRequestLead", "00:00:01"),
        new("Engine:AgedRequestRefresh", "00:00:00.05"),
    ];

    [Fact]
    public async Task A_retry_whose_hot_record_expired_gets_its_first_answer_from_its_campuss_database()
    {
        await CreateNorthAsync();
        var account = await OpenFundedAccountAtAsync(North);
        var debit = new DebitRequest { RequestId = "d-1", CardNo = account.CardNo, AmountFen = 300 };
        var first = await CallAsync((await OpenCanteenAtAsync(North)).DebitAsync, debit);
        Clock.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(2_500);
        Assert.Empty(HotRecordKeys());
        // A new instance reads which requests are past the window from both databases, and asks the journal about them.
        await RestartServiceAsync();

        var retry = await CallAsync(CanteenAt(North).DebitAsync, debit);
        var balance = await CallAsync(new Terminal.TerminalClient(As(CallerRole.Kiosk, North)).GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo });

        Assert.Equal(first, retry);
        Assert.Equal(1_700, balance.BalanceFen);
        Assert.Equal(1L, await EastDatabase.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE request_id = 'd-1'"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE request_id = 'd-1'"));
    }
}
