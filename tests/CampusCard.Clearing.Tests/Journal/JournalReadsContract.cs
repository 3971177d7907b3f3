using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// The journal's reads that the engine's schedules, settlement and statements stand on, against each provider present
/// (PostgreSQL always, SQL Server when CC_SQLSERVER_CONNECTION is set): what each finds, and what it leaves out.
/// </summary>
public abstract class JournalReadsContract : StoreTestBase
{
    [ProviderFact]
    public async Task An_expired_hold_is_found_until_it_is_released()
    {
        var holder = await OpenHolderAsync(purseFen: 5_000);
        var merchant = await OpenMerchantAsync();
        var hold = Hold(holder, merchant, 2_000, ttlSeconds: 60);
        var id = (await DecideAndJournalAsync(hold)).Results[0].Decision!.TransactionId;

        var before = await Journal.ExpiredHoldsAsync(Now.AddDays(-1), Now.AddSeconds(59), 10, default);
        var after = await Journal.ExpiredHoldsAsync(Now.AddDays(-1), Now.AddSeconds(61), 10, default);
        await DecideAndJournalAsync(Hold(holder, merchant, 0, 0) with { Kind = TransactionKind.ReleaseHold, OriginalRequestId = hold.RequestId });

        Assert.Empty(before);
        Assert.Equal(new ExpiredHold(id, CardOf(holder), hold.RequestId, Campuses.Default), Assert.Single(after));
        Assert.Empty(await Journal.ExpiredHoldsAsync(Now.AddDays(-1), Now.AddSeconds(61), 10, default));
    }

    [ProviderFact]
    public async Task An_auto_top_up_request_is_open_until_a_top_up_answers_it_and_the_bank_sees_its_top_ups()
    {
        var holder = await OpenHolderAsync(purseFen: 2_000);
        var merchant = await OpenMerchantAsync();
        await DecideAndJournalAsync(SetAutoTopUp(holder, thresholdFen: 1_000, amountFen: 5_000));
        var debit = (await DecideAndJournalAsync(Debit(holder, merchant, 1_500))).Results[0].Decision!;
        Assert.Equal(5_000, debit.AutoTopUpRequestedFen);

        var open = Assert.Single(await Journal.OpenAutoTopUpsAsync(0, long.MaxValue, Now, 10, default));
        var topUp = new ClearingRequest
        {
            Kind = TransactionKind.QuotaTopUp, RequestId = "bank-ref-1", Campus = Campuses.Default, PersonNo = holder.PersonNo, AmountFen = 5_000, Channel = "online", Ref = open.Id,
        };
        await DecideAndJournalAsync(topUp);

        Assert.Equal((debit.TransactionId, holder.PersonNo, 5_000L, 500L), (open.Id, open.PersonNo, open.AmountFen, open.BalanceFen));
        Assert.Empty(await Journal.OpenAutoTopUpsAsync(0, long.MaxValue, Now, 10, default));
        Assert.Empty(await Journal.OpenAutoTopUpsAsync(debit.TransactionId, long.MaxValue, Now, 10, default));
        var bank = Assert.Single(await Journal.BankTopUpsAsync(Campuses.Default, Today, default));
        Assert.Equal(("bank-ref-1", holder.PersonNo, 5_000L), (bank.Reference, bank.PersonNo, bank.AmountFen));
        Assert.Empty(await Journal.BankTopUpsAsync(Campuses.Default, Today + 1, default));
    }

    [ProviderFact]
    public async Task An_offline_record_is_found_by_its_terminal_and_sequence_number()
    {
        var holder = await OpenHolderAsync(purseFen: 5_000);
        var merchant = await OpenMerchantAsync();
        await DecideAndJournalAsync(Debit(holder, merchant, 800, "offline:T1:7") with
        {
            Kind = TransactionKind.OfflineDebit, Ref = 7, OccurredAtMs = Now.AddHours(-1).ToUnixTimeMilliseconds(),
        });

        var cards = await Journal.OfflineCardsAsync(Campuses.Default, "T1", [7, 8], default);

        Assert.Equal(new Dictionary<long, string> { [7] = CardOf(holder) }, cards);
        Assert.Empty(await Journal.OfflineCardsAsync(Campuses.Default, "T2", [7], default));
    }

    [ProviderFact]
    public async Task A_merchants_day_counts_its_sales_and_reversals()
    {
        var holder = await OpenHolderAsync(purseFen: 5_000);
        var merchant = await OpenMerchantAsync();
        var reversed = Debit(holder, merchant, 300);
        await DecideAndJournalAsync(Debit(holder, merchant, 1_000), reversed, Debit(holder, merchant, 99_999));
        await DecideAndJournalAsync(Reversal(holder, merchant, reversed.RequestId));
        var through = await Journal.MaxTransactionIdAsync(default);
        await DecideAndJournalAsync(Debit(holder, merchant, 50));

        var day = Assert.Single(await Journal.MerchantDaysAsync(Campuses.Default, Today, through, default), d => d.MerchantNo == merchant.No);

        Assert.Equal((merchant.MerchantId, 2L, 1_300L, 1L, 300L, 0L, 1_000L), (day.MerchantId, day.Sales, day.GrossFen, day.Reversals, day.ReversalsFen, day.SettledFen, day.NetFen));
        Assert.DoesNotContain(await Journal.MerchantDaysAsync(Campuses.Default, Today + 1, long.MaxValue, default), d => d.MerchantNo == merchant.No);
    }

    [ProviderFact]
    public async Task A_statement_lists_what_moved_money_newest_first_and_the_bill_sums_spend_by_category()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();
        var reversed = Debit(holder, merchant, 300);
        await DecideAndJournalAsync(Debit(holder, merchant, 1_000), reversed);
        await DecideAndJournalAsync(Reversal(holder, merchant, reversed.RequestId));

        var lines = await Journal.StatementAsync(DaysOf(holder, Today, Today), long.MaxValue, 10, default);
        var page = await Journal.StatementAsync(DaysOf(holder, Today, Today), lines[1].TransactionId, 10, default);
        var spend = await Journal.SpendAsync(DaysOf(holder, Today, Today), default);

        Assert.Equal([300L, -300, -1_000, 10_000], lines.Select(l => l.PurseChangeFen));
        Assert.Equal([(TransactionKind.Reversal, 9_000L), (TransactionKind.Debit, 8_700), (TransactionKind.Debit, 9_000), (TransactionKind.Credit, 10_000)],
            lines.Select(l => (l.Kind, l.After.PurseFen)));
        Assert.Equal(merchant.MerchantId, lines[0].MerchantId);
        Assert.Equal(lines.Skip(2).Select(l => l.TransactionId), page.Select(l => l.TransactionId));
        Assert.Equal([(new DateOnly(2026, 9, 1), MerchantCategory.Dining, 1_000L)], spend);
        Assert.Empty(await Journal.StatementAsync(DaysOf(holder, Today + 1, Today + 1), long.MaxValue, 10, default));
    }

    private static HolderDays DaysOf(Holder holder, int from, int to) => new(holder.Id, from, to, TimeSpan.FromHours(8), 11);

    [ProviderFact]
    public async Task A_subsidy_batch_lists_the_persons_it_paid()
    {
        var first = await OpenHolderAsync();
        var second = await OpenHolderAsync();
        foreach (var holder in new[] { first, second })
            await DecideAndJournalAsync(new ClearingRequest { Kind = TransactionKind.Subsidy, RequestId = "batch-2026-09", Campus = Campuses.Default, PersonNo = holder.PersonNo, AmountFen = 5_000, Memo = "伙食补贴" });

        var persons = await Journal.SubsidizedPersonsAsync(Campuses.Default, "batch-2026-09", default);

        Assert.Equal(new[] { first.PersonNo, second.PersonNo }.Order(), persons.Order());
        Assert.Empty(await Journal.SubsidizedPersonsAsync(Campuses.Default, "batch-2026-10", default));
    }

    private ClearingRequest Hold(Holder holder, Merchant merchant, long amountFen, long ttlSeconds) =>
        Debit(holder, merchant, amountFen) with { Kind = TransactionKind.Hold, Ref = ttlSeconds };
}

public sealed class PostgresJournalReadsContractTests : JournalReadsContract;

[OnSqlServer]
public sealed class SqlServerJournalReadsContractTests : JournalReadsContract
{
    protected override async Task<ScratchJournal> CreateJournalAsync() => await ScratchSqlServerDatabase.CreateAsync();
}
