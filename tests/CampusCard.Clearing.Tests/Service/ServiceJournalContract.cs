using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The whole service on each journal provider present (PostgreSQL always, SQL Server when CC_SQLSERVER_CONNECTION is
/// set): what reaches SQL from the RPCs — migrating at start, journaling, settlement, statements, the registry, and the
/// rebuild of an emptied Redis — checked through the RPCs and in SQL both dialects share.
/// </summary>
public abstract class ServiceJournalContract : SettlementTestBase
{
    private Statements.StatementsClient Statements => new(As(Domain.CallerRole.Payments));

    [ProviderFact]
    public async Task A_day_of_trade_is_journaled_and_settled_once()
    {
        await TradeAsync();

        var report = await RunAsync("2026-09-01");
        var again = await RunAsync("2026-09-01");

        Assert.Equal("CANTEEN-1 1000, NETWORK 800, SHOWER-1 300", string.Join(", ", report.Merchants.Select(m => $"{m.MerchantId} {m.SettledFen}")));
        Assert.All(again.Merchants, m => Assert.True(m.SettledBefore));
        Assert.Equal(3L, await JournalDatabase.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 29"));
        Assert.Equal(0L, await JournalDatabase.ScalarAsync<long>("SELECT sum(balance_fen) FROM trial_balance"));
        Assert.Equal(0L, await JournalDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT scope, request_id FROM transactions GROUP BY scope, request_id HAVING count(*) > 1) twice"));
    }

    [ProviderFact]
    public async Task An_emptied_redis_is_rebuilt_from_the_journal_and_a_retry_gets_the_first_answer()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var kept = Debit(account, merchant, 1_200);
        var keptReply = await DebitAsync(kept);
        await StopServiceAsync();

        await LocalServers.DeleteKeysAsync(Prefix);
        await StartServiceAsync();

        Assert.Equal(8_800L, await PurseAsync(account));
        Assert.Equal(keptReply, await DebitAsync(kept));
        Assert.Equal(1L, await JournalDatabase.ScalarAsync<long>($"SELECT count(*) FROM transactions WHERE request_id = '{kept.RequestId}'"));
    }

    [ProviderFact]
    public async Task A_lost_card_is_replaced_and_only_the_new_card_pays()
    {
        var account = await OpenFundedAccountAsync(5_000);
        var merchant = await OpenMerchantAsync();
        await SetCardStateAsync(account, Domain.CardState.Lost);

        var replaced = await CallAsync(Cards.ReplaceCardAsync, new ReplaceCardRequest { RequestId = NextId("replace"), PersonNo = account.PersonNo, Reason = ReplaceReason.Lost });
        var old = await DebitAsync(Debit(account, merchant, 100));
        var paid = await DebitAsync(Debit(new Account(account) { CardNo = replaced.CardNo }, merchant, 100));

        Assert.NotEqual(account.CardNo, replaced.CardNo);
        Assert.Equal(Outcome.Declined, old.Outcome);
        Assert.Equal(Outcome.Approved, paid.Outcome);
        Assert.Equal(2L, await JournalDatabase.ScalarAsync<long>($"SELECT count(*) FROM cards c JOIN holders h ON h.id = c.holder_id WHERE h.person_no = '{account.PersonNo}'"));
    }

    [ProviderFact]
    public async Task A_statement_and_a_monthly_bill_are_read_from_the_journal()
    {
        await TradeAsync();

        var person = (await JournalDatabase.RowsAsync("SELECT person_no FROM holders")).Single()[0];
        var statement = await CallAsync(Statements.GetStatementAsync, new GetStatementRequest { PersonNo = (string)person, FromDate = "2026-09-01", ToDate = "2026-09-01" });
        var bill = await CallAsync(Statements.GetMonthlyBillAsync, new GetMonthlyBillRequest { PersonNo = (string)person, Month = "2026-09" });

        Assert.Equal(20_000L, statement.Lines.Last().AmountFen);
        Assert.Equal(statement.Lines.Count, statement.Lines.Select(l => l.TransactionId).Distinct().Count());
        Assert.Equal(1_000L + 300 + 800 + 300, bill.TotalFen); // the canteen, the shower, the network fee less its refund, and the next day's debit
    }
}

public sealed class PostgresServiceJournalContractTests : ServiceJournalContract;

[OnSqlServer]
public sealed class SqlServerServiceJournalContractTests : ServiceJournalContract
{
    protected override async Task<ScratchJournal> CreateJournalDatabaseAsync() => await ScratchSqlServerDatabase.CreateAsync(migrate: false);
}
