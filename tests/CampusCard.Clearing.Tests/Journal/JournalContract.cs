using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// What every journal provider must do (the IJournal port and the schema's integrity rules), run against each provider
/// that is present: PostgreSQL always, SQL Server when CC_SQLSERVER_CONNECTION is set. SQL here is in what both dialects share.
/// </summary>
public abstract class JournalContract : StoreTestBase
{
    [ProviderFact]
    public async Task Migrations_apply_once_and_are_recorded()
    {
        var again = await Database.Migrator.MigrateAsync();

        Assert.Empty(again);
        Assert.Equal(Database.MigrationCount, await Database.ScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
    }

    [ProviderFact]
    public async Task A_migration_changed_after_it_was_applied_stops_the_migrator()
    {
        await Database.ExecuteAsync("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Database.Migrator.MigrateAsync());

        Assert.Contains("was changed after it was applied", e.Message);
    }

    [ProviderFact]
    public async Task The_codes_table_holds_every_code_of_the_enums()
    {
        var rows = await Database.RowsAsync("SELECT type, code, name FROM codes");

        Assert.Equal(CodeTable.Rows.Order(), rows.Select(r => ((string)r[0], Convert.ToInt16(r[1]), (string)r[2])).Order());
    }

    [ProviderFact]
    public async Task A_batch_is_stored_with_postings_that_sum_to_zero()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();

        await DecideAndJournalAsync(Debit(holder, merchant, 1_250), Debit(holder, merchant, 99_999));

        Assert.Equal(4L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT coalesce(sum(amount_fen), 0) FROM postings"));
        Assert.Equal(8_750, await JournalBalanceAsync(AccountRef.Purse(holder.Id)));
        Assert.Equal(1_250, await JournalBalanceAsync(AccountRef.Merchant(merchant.No)));
    }

    [ProviderFact]
    public async Task Storing_a_batch_again_changes_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();
        var requests = new[] { Debit(holder, merchant, 300), Debit(holder, merchant, 400) };
        var entries = NewEntries(requests, await DecideAsync(requests));
        await Journal.AppendAsync(entries, default);

        await Journal.AppendAsync(entries, default);
        await Journal.AppendAsync([.. entries, .. NewEntries([Debit(holder, merchant, 500)], await DecideAsync(Debit(holder, merchant, 500)))], default);

        Assert.Equal(5L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
        Assert.Equal(10_000 - 1_200, await JournalBalanceAsync(AccountRef.Purse(holder.Id)));
    }

    [ProviderFact]
    public async Task Different_content_under_a_stored_id_is_a_conflict()
    {
        var entry = (await DecidedDebitsAsync(300))[0];
        await Journal.AppendAsync([entry], default);

        var other = entry with { Request = entry.Request with { RequestId = "someone-else" } };

        var e = await Assert.ThrowsAsync<JournalConflictException>(() => Journal.AppendAsync([other], default));
        Assert.Equal(entry.Decision.TransactionId, e.TransactionId);
    }

    [ProviderFact]
    public async Task Appending_a_decision_for_a_request_the_journal_holds_under_another_id_is_a_conflict()
    {
        var holder = await OpenHolderAsync(purseFen: 100);
        var entry = (await Journal.FindAsync([($"p:{holder.PersonNo}", "req-1")], default)).Single();
        var again = entry with { Decision = entry.Decision with { TransactionId = entry.Decision.TransactionId + 1000 } };

        var e = await Assert.ThrowsAsync<JournalConflictException>(() => Journal.AppendAsync([again], default));

        Assert.Equal(again.Decision.TransactionId, e.TransactionId);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
    }

    [ProviderTheory]
    [InlineData("from_kind = NULL, from_owner = NULL, to_kind = NULL, to_owner = NULL")]
    [InlineData("to_owner = NULL")]
    [InlineData("outcome = 2")]
    [InlineData("moved_fen = 0")]
    [InlineData("from_kind = 5, from_owner = 3, to_kind = 5, to_owner = 3")]
    public async Task An_approved_transaction_that_moves_money_names_two_different_accounts_and_no_other_does(string changes)
    {
        await OpenHolderAsync(purseFen: 100);

        var refusal = await RefusalAsync(() => Database.InsertChangedCopyOfLastTransactionAsync(changes));

        Assert.Equal((RefusalRule.Check, "transactions_legs"), (refusal.Rule, refusal.Constraint));
    }

    [ProviderFact]
    public async Task A_transaction_names_accounts_in_the_chart_of_accounts()
    {
        await OpenHolderAsync(purseFen: 100);

        var refusal = await RefusalAsync(() => Database.InsertChangedCopyOfLastTransactionAsync("to_kind = 2, to_owner = 424242"));

        Assert.Equal(RefusalRule.Reference, refusal.Rule);
        Assert.Contains("names an account that is not in the chart of accounts", refusal.Message);
    }

    [ProviderFact]
    public async Task A_batch_the_journal_writes_is_held_to_the_chart_of_accounts_and_stores_nothing_when_refused()
    {
        var entries = await DecidedDebitsAsync(300, 400);
        var unknownMerchant = entries[1] with { Request = entries[1].Request with { MerchantNo = 424242 } };

        var refusal = await RefusalAsync(() => Journal.AppendAsync([entries[0], unknownMerchant], default));

        Assert.Equal(RefusalRule.Reference, refusal.Rule);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
    }

    [ProviderFact]
    public async Task A_batch_the_journal_writes_is_held_to_the_checks()
    {
        var entry = (await DecidedDebitsAsync(300))[0];
        var noOutcome = entry with { Decision = entry.Decision with { Outcome = (Outcome)3 } };

        var refusal = await RefusalAsync(() => Journal.AppendAsync([noOutcome], default));

        Assert.Equal(RefusalRule.Check, refusal.Rule);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
    }

    [ProviderFact]
    public async Task A_copy_with_its_own_id_and_valid_legs_is_stored_so_the_refusals_above_are_about_their_changes()
    {
        await OpenHolderAsync(purseFen: 100);

        await Database.InsertChangedCopyOfLastTransactionAsync("");

        Assert.Equal(4L, await Database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    [ProviderFact]
    public async Task A_second_transaction_under_one_scope_and_request_id_is_refused_for_ever()
    {
        await OpenHolderAsync(purseFen: 100);

        var refusal = await RefusalAsync(() => Database.InsertChangedCopyOfLastTransactionAsync("request_id = 'req-1'"));

        Assert.Equal((RefusalRule.Unique, "transactions_scope_request"), (refusal.Rule, refusal.Constraint));
    }

    [ProviderFact]
    public async Task Postings_are_derived_from_transactions_and_cannot_be_written()
    {
        await OpenHolderAsync(purseFen: 100);
        var id = await Database.ScalarAsync<long>("SELECT max(id) FROM transactions");

        await RefusalAsync(() => Database.ExecuteAsync($"INSERT INTO postings (transaction_id, account_kind, account_owner, amount_fen) VALUES ({id}, 5, 1, 5)"));

        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    [ProviderTheory]
    [InlineData("UPDATE transactions SET moved_fen = moved_fen * 2")]
    [InlineData("DELETE FROM transactions")]
    [InlineData("DELETE FROM accounts")]
    public async Task Nothing_edits_the_journal(string sql)
    {
        await OpenHolderAsync(purseFen: 100);

        var refusal = await RefusalAsync(() => Database.ExecuteAsync(sql));

        Assert.Contains("append-only", refusal.Message);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    [ProviderFact]
    public async Task The_trial_balance_sums_to_zero()
    {
        var holder = await OpenHolderAsync(purseFen: 5_000);
        var merchant = await OpenMerchantAsync();
        await DecideAndJournalAsync(Debit(holder, merchant, 700));

        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT sum(balance_fen) FROM trial_balance"));
        Assert.Equal(-5_000L, await Database.ScalarAsync<long>("SELECT balance_fen FROM trial_balance WHERE kind = 5"));
    }

    [ProviderFact]
    public async Task The_newest_id_and_whether_an_id_is_stored()
    {
        Assert.Equal(0L, await Journal.MaxTransactionIdAsync(default));
        await OpenHolderAsync(purseFen: 5_000);

        var newest = await Journal.MaxTransactionIdAsync(default);

        Assert.Equal(await Database.ScalarAsync<long>("SELECT max(id) FROM transactions"), newest);
        Assert.True(await Journal.ContainsAsync(newest, default));
        Assert.False(await Journal.ContainsAsync(newest + 1, default));
    }

    [ProviderFact]
    public async Task A_request_is_found_by_its_key_with_the_reversals_naming_it()
    {
        var (debit, reversal) = await JournalDebitAndReversalAsync();

        var found = await Journal.FindAsync([(debit.Scope, debit.RequestId), (debit.Scope, "never-sent")], default);

        Assert.Equal([debit.RequestId, reversal.RequestId], found.Select(e => e.Request.RequestId));
        Assert.Equal(debit with { Caller = found[0].Request.Caller }, found[0].Request with { Terms = debit.Terms });
        Assert.Equal((Outcome.Approved, 700L, 4_300L), (found[0].Decision.Outcome, found[0].Decision.MovedFen, found[0].Decision.Balances.PurseFen));
        Assert.Equal(debit.RequestId, found[1].Request.OriginalRequestId);
    }

    [ProviderFact]
    public async Task Text_and_times_are_read_back_as_written()
    {
        var holder = await OpenHolderAsync();
        var credit = Credit(holder, 2_000) with
        {
            Memo = "十二月补助：食堂 ✓ café",
            Caller = new Caller(CallerRole.Office, "办公室-王老师"),
        };
        var decided = (await DecideAndJournalAsync(credit)).Results[0].Decision!;

        var found = (await Journal.FindAsync([(credit.Scope, credit.RequestId)], default)).Single();

        Assert.Equal((credit.Memo, credit.Caller.Subject, credit.RequestId), (found.Request.Memo, found.Request.Caller.Subject, found.Request.RequestId));
        Assert.Equal(decided.DecidedAt, found.Decision.DecidedAt);
        Assert.Equal(decided.BusinessDay, found.Decision.BusinessDay);
    }

    [ProviderFact]
    public async Task The_request_keys_of_a_period_name_each_request_and_each_original_a_reversal_acts_on()
    {
        var (debit, reversal) = await JournalDebitAndReversalAsync();

        var keys = new List<(string, string)>();
        await foreach (var key in Journal.ReadRequestKeysAsync(Now.AddMinutes(-1), Now.AddMinutes(1), default)) keys.Add(key);
        var none = await Journal.ReadRequestKeysAsync(Now.AddMinutes(1), Now.AddMinutes(2), default).CountAsync();

        Assert.Contains((debit.Scope, debit.RequestId), keys);
        Assert.Contains((reversal.Scope, reversal.RequestId), keys);
        Assert.Equal(2, keys.Count(k => k == (debit.Scope, debit.RequestId)));
        Assert.Equal(keys.Count, await Journal.CountRequestKeysAsync(Now.AddMinutes(1), default));
        Assert.Equal(0, none);
    }

    [ProviderFact]
    public async Task A_snapshot_derives_balances_day_spend_and_recent_transactions()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();
        var kept = Debit(holder, merchant, 1_000);
        var reversed = Debit(holder, merchant, 300);
        await DecideAndJournalAsync(kept, reversed);
        await DecideAndJournalAsync(Reversal(holder, merchant, reversed.RequestId));

        var partition = HotProbe.PartitionOf(holder.PersonNo);
        var snapshot = await Journal.SnapshotAsync(HotProbe.Partitions, partition, Now, BusinessDays.Everywhere(Today), TimeSpan.FromDays(7), default);
        var other = await Journal.SnapshotAsync(HotProbe.Partitions, (partition + 1) % HotProbe.Partitions.Count, Now, BusinessDays.Everywhere(Today), TimeSpan.FromDays(7), default);

        Assert.Equal((0, 0, 0), (other.Holders.Count, other.Cards.Count, other.RecentEntries.Count));
        var state = Assert.Single(snapshot.Holders);
        Assert.Equal(new Balances(9_000, 0, 0), state.Balances);
        Assert.Equal(1_000, state.DaySpentFen);
        Assert.Equal(5, snapshot.RecentEntries.Count);
        Assert.Equal(CardOf(holder), Assert.Single(snapshot.Cards).Key);
        Assert.Equal(TransactionIds.SequenceOf(await Journal.MaxTransactionIdAsync(default)), snapshot.Sequence);
        Assert.Equal(snapshot.Sequence, other.Sequence);
        Assert.Equal(state with { DaySpentFen = 0, SpendDay = 0 }, (await Journal.HolderStatesAsync(BusinessDays.Everywhere(Today + 1), default)).Single() with { DaySpentFen = 0, SpendDay = 0 });
    }

    [ProviderTheory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1024)]
    public async Task A_snapshot_reads_the_holders_cards_and_records_of_its_partition_whatever_the_count(int count)
    {
        var partitions = new Partitioning(count);
        var merchant = await OpenMerchantAsync();
        var holders = new List<Holder>();
        for (var i = 0; i < 6; i++)
        {
            var holder = await OpenHolderAsync(purseFen: 1_000);
            await DecideAndJournalAsync(Debit(holder, merchant, 100));
            holders.Add(holder);
        }
        // A card nobody holds: its decline is journaled for holder 0 and belongs where the card's tag falls.
        var nobodys = Debit(holders[0], merchant, 100) with { CardNo = CardNumbers.Generate("nobody:" + Prefix) };
        await DecideAndJournalAsync(nobodys);
        var tags = holders.Select(h => "p:" + h.PersonNo).Append(nobodys.Scope).ToList();
        var empty = partitions.All.Where(p => !tags.Any(t => partitions.Of(t) == p)).Take(1);

        foreach (var partition in tags.Select(partitions.Of).Distinct().Concat(empty))
        {
            var snapshot = await Journal.SnapshotAsync(partitions, partition, Now, BusinessDays.Everywhere(Today), TimeSpan.FromDays(7), default);

            var mine = holders.Where(h => partitions.Of("p:" + h.PersonNo) == partition).ToList();
            // Each holder's opening and credit under its person, its debit under its card.
            var scopes = mine.SelectMany(h => new[] { "p:" + h.PersonNo, "p:" + h.PersonNo, "c:" + CardOf(h) })
                .Concat(partitions.Of(nobodys.Scope) == partition ? [nobodys.Scope] : []);
            Assert.Equal(mine.Select(h => h.PersonNo).Order(), snapshot.Holders.Select(h => h.PersonNo).Order());
            Assert.Equal(mine.Select(CardOf).Order(), snapshot.Cards.Keys.Order());
            Assert.Equal(scopes.Order(), snapshot.RecentEntries.Select(e => e.Request.Scope).Order());
        }
    }

    [ProviderFact]
    public async Task A_record_of_a_card_nobody_held_is_read_with_the_holder_the_card_is_issued_to_later()
    {
        var holder = await OpenHolderAsync();
        var merchant = await OpenMerchantAsync();
        var mine = HotProbe.PartitionOf(holder.PersonNo);
        var cardNo = Enumerable.Range(0, 100).Select(i => CardNumbers.Generate("later:" + Prefix, i)).First(c => HotProbe.Partitions.Of("c:" + c) != mine);
        var declined = Debit(holder, merchant, 100) with { CardNo = cardNo };
        await DecideAndJournalAsync(declined);
        var before = await SnapshotAsync(HotProbe.Partitions.Of(declined.Scope));

        await Registry.IssueCardAsync(Campuses.Default, cardNo, holder.Id, Now, default);
        var byCard = await SnapshotAsync(HotProbe.Partitions.Of(declined.Scope));
        var byHolder = await SnapshotAsync(mine);

        Assert.Equal([declined.RequestId], before.RecentEntries.Select(e => e.Request.RequestId));
        Assert.Empty(byCard.RecentEntries);
        Assert.Contains(declined.RequestId, byHolder.RecentEntries.Select(e => e.Request.RequestId));
        Assert.Contains(cardNo, byHolder.Cards.Keys);
    }

    [ProviderFact]
    public async Task Card_state_changes_come_with_every_card_of_their_holder_and_newest_only_keeps_the_last()
    {
        var holder = await OpenHolderAsync();
        var other = await OpenHolderAsync();
        await DecideAndJournalAsync(SetAutoTopUp(holder, thresholdFen: 1_000, amountFen: 5_000));

        var all = await Journal.ReadCardStatesAsync(0, long.MaxValue, newestOnly: false, 100, default);
        var newest = await Journal.ReadCardStatesAsync(0, long.MaxValue, newestOnly: true, 100, default);
        var first = await Journal.ReadCardStatesAsync(0, long.MaxValue, newestOnly: false, 1, default);

        // Ids increase within a partition, so a holder's changes come in order; two holders' come in the order of their ids.
        Assert.Equal([0L, 1_000L], all.Where(r => r.Holder.PersonNo == holder.PersonNo).Select(r => r.Holder.AutoThresholdFen));
        Assert.Equal([other.PersonNo], all.Where(r => r.Holder.PersonNo != holder.PersonNo).Select(r => r.Holder.PersonNo));
        Assert.Equal(all.OrderBy(r => r.TransactionId), all);
        Assert.Equal(new[] { (other.PersonNo, 0L), (holder.PersonNo, 1_000L) }.Order(), newest.Select(r => (r.Holder.PersonNo, r.Holder.AutoThresholdFen)).Order());
        Assert.Equal((0, all[0].CardNo), (Assert.Single(first).CardIndex, first[0].CardNo));
        Assert.Empty(await Journal.ReadCardStatesAsync(all[^1].TransactionId, all[^1].TransactionId, newestOnly: false, 100, default));
    }

    /// <summary>A debit of 700 from a purse of 5,000, then its reversal, each journaled.</summary>
    private async Task<(ClearingRequest Debit, ClearingRequest Reversal)> JournalDebitAndReversalAsync()
    {
        var holder = await OpenHolderAsync(purseFen: 5_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 700);
        var reversal = Reversal(holder, merchant, debit.RequestId);
        await DecideAndJournalAsync(debit);
        await DecideAndJournalAsync(reversal);
        return (debit, reversal);
    }

    private async Task<SchemaRefusal> RefusalAsync(Func<Task> statement)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(statement);
        return Database.RefusalOf(e) ?? throw new Xunit.Sdk.XunitException($"not a refusal of the schema: {e}");
    }

    /// <summary>Debits of a new holder (10,000 fen) at a new merchant, decided in the hot store and not yet journaled.</summary>
    private async Task<List<JournalEntry>> DecidedDebitsAsync(params long[] amountsFen)
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();
        var requests = amountsFen.Select(a => Debit(holder, merchant, a)).ToArray();
        return NewEntries(requests, await DecideAsync(requests));
    }
}

[Trait("Suite", "Cluster")]
public sealed class PostgresJournalContractTests : JournalContract;

[OnSqlServer]
public sealed class SqlServerJournalContractTests : JournalContract
{
    protected override async Task<ScratchJournal> CreateJournalAsync() => await ScratchSqlServerDatabase.CreateAsync();
}
