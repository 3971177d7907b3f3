using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CampusCard.Clearing.Tests.Journal;

public class JournalTests : StoreTestBase
{
    [Fact]
    public async Task Migrations_apply_once_and_are_recorded()
    {
        var again = await new PostgresMigrator(Database.DataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync();

        Assert.Empty(again);
        Assert.Equal(PostgresMigrator.Scripts.Count, (int)await Database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_batch_is_stored_with_postings_that_sum_to_zero()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();

        await DecideAndJournalAsync(Debit(holder, merchant, 1_250), Debit(holder, merchant, 99_999));

        Assert.Equal(4L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT coalesce(sum(amount_fen), 0)::bigint FROM postings"));
        Assert.Equal(8_750, await JournalBalanceAsync(AccountRef.Purse(holder.Id)));
        Assert.Equal(1_250, await JournalBalanceAsync(AccountRef.Merchant(merchant.No)));
    }

    [Fact]
    public async Task Storing_a_batch_again_changes_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();
        var requests = new[] { Debit(holder, merchant, 300), Debit(holder, merchant, 400) };
        var batch = await DecideAsync(requests);
        var entries = NewEntries(requests, batch);
        await Journal.AppendAsync(entries, default);

        await Journal.AppendAsync(entries, default);
        await Journal.AppendAsync([.. entries, .. NewEntries([Debit(holder, merchant, 500)], await DecideAsync(Debit(holder, merchant, 500)))], default);

        Assert.Equal(5L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
        Assert.Equal(10_000 - 1_200, await JournalBalanceAsync(AccountRef.Purse(holder.Id)));
    }

    [Fact]
    public async Task Different_content_under_a_stored_id_is_a_conflict()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();
        var request = Debit(holder, merchant, 300);
        var entry = NewEntries([request], await DecideAsync(request))[0];
        await Journal.AppendAsync([entry], default);

        var other = entry with { Request = entry.Request with { RequestId = "someone-else" } };

        var e = await Assert.ThrowsAsync<JournalConflictException>(() => Journal.AppendAsync([other], default));
        Assert.Equal(entry.Decision.TransactionId, e.TransactionId);
    }

    [Theory]
    [InlineData("""{"from_kind": null, "from_owner": null, "to_kind": null, "to_owner": null}""")]
    [InlineData("""{"to_owner": null}""")]
    [InlineData("""{"outcome": 2}""")]
    [InlineData("""{"moved_fen": 0}""")]
    [InlineData("""{"from_kind": 5, "from_owner": 3, "to_kind": 5, "to_owner": 3}""")]
    public async Task An_approved_transaction_that_moves_money_names_two_different_accounts_and_no_other_does(string changes)
    {
        await OpenHolderAsync(purseFen: 100);

        var e = await Assert.ThrowsAsync<PostgresException>(() => InsertChangedCopyOfLastTransactionAsync(changes));

        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
        Assert.Equal("transactions_legs", e.ConstraintName);
    }

    [Fact]
    public async Task A_transaction_names_accounts_in_the_chart_of_accounts()
    {
        await OpenHolderAsync(purseFen: 100);

        var e = await Assert.ThrowsAsync<PostgresException>(() => InsertChangedCopyOfLastTransactionAsync("""{"to_kind": 2, "to_owner": 424242}"""));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
        Assert.Contains("names an account that is not in the chart of accounts", e.MessageText);
    }

    [Fact]
    public async Task A_copy_with_its_own_id_and_valid_legs_is_stored_so_the_refusals_above_are_about_their_changes()
    {
        await OpenHolderAsync(purseFen: 100);

        await InsertChangedCopyOfLastTransactionAsync("{}");

        Assert.Equal(4L, await Database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    [Fact]
    public async Task Postings_are_derived_from_transactions_and_cannot_be_written()
    {
        await OpenHolderAsync(purseFen: 100);
        var id = await Database.ScalarAsync<long>("SELECT max(id) FROM transactions");

        await Assert.ThrowsAsync<PostgresException>(() => Database.ExecuteAsync($"INSERT INTO postings VALUES ({id}, 5, 1, 5), ({id}, 5, 2, -5)"));

        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    /// <summary>Inserts the last transaction again under a new id, with the columns in <paramref name="changes"/> (JSON) changed.</summary>
    private Task InsertChangedCopyOfLastTransactionAsync(string changes) => Database.ExecuteAsync($"""
        INSERT INTO transactions
        SELECT (jsonb_populate_record(t, jsonb_build_object('id', t.id + 1000, 'request_id', t.request_id || '-copy') || '{changes}'::jsonb)).*
          FROM transactions t WHERE t.id = (SELECT max(id) FROM transactions)
        """);

    [Fact]
    public async Task A_second_transaction_under_one_scope_and_request_id_is_refused_for_ever()
    {
        await OpenHolderAsync(purseFen: 100);

        var e = await Assert.ThrowsAsync<PostgresException>(() => InsertChangedCopyOfLastTransactionAsync("""{"request_id": "req-1"}"""));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, e.SqlState);
        Assert.Equal("transactions_scope_request", e.ConstraintName);
    }

    [Fact]
    public async Task Appending_a_decision_for_a_request_the_journal_holds_under_another_id_is_a_conflict()
    {
        var holder = await OpenHolderAsync(purseFen: 100);
        var entry = (await Journal.FindAsync([($"p:{holder.PersonNo}", "req-1")], default)).Single();
        var again = entry with { Decision = entry.Decision with { TransactionId = entry.Decision.TransactionId + 1000 } };

        var e = await Assert.ThrowsAsync<JournalConflictException>(() => Journal.AppendAsync([again], default));

        Assert.Equal(again.Decision.TransactionId, e.TransactionId);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions"));
    }

    [Theory]
    [InlineData("UPDATE transactions SET moved_fen = moved_fen * 2")]
    [InlineData("DELETE FROM transactions")]
    [InlineData("TRUNCATE transactions CASCADE")]
    [InlineData("DELETE FROM accounts")]
    public async Task Nothing_edits_the_journal(string sql)
    {
        await OpenHolderAsync(purseFen: 100);

        var e = await Assert.ThrowsAsync<PostgresException>(() => Database.ExecuteAsync(sql));

        Assert.Contains("append-only", e.MessageText);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    [Fact]
    public async Task The_trial_balance_sums_to_zero()
    {
        var holder = await OpenHolderAsync(purseFen: 5_000);
        var merchant = await OpenMerchantAsync();
        await DecideAndJournalAsync(Debit(holder, merchant, 700));

        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT sum(balance_fen)::bigint FROM trial_balance"));
        Assert.Equal(-5_000L, await Database.ScalarAsync<long>("SELECT balance_fen::bigint FROM trial_balance WHERE kind = 5"));
    }

    [Fact]
    public async Task A_snapshot_derives_balances_day_spend_and_recent_transactions()
    {
        var holder = await OpenHolderAsync(purseFen: 10_000);
        var merchant = await OpenMerchantAsync();
        var kept = Debit(holder, merchant, 1_000);
        var reversed = Debit(holder, merchant, 300);
        await DecideAndJournalAsync(kept, reversed);
        await DecideAndJournalAsync(Reversal(holder, merchant, reversed.RequestId));

        var snapshot = await Journal.SnapshotAsync(Now, Today, TimeSpan.FromDays(7), default);

        var state = Assert.Single(snapshot.Holders);
        Assert.Equal(new Balances(9_000, 0, 0), state.Balances);
        Assert.Equal(1_000, state.DaySpentFen);
        Assert.Equal(5, snapshot.RecentEntries.Count);
        Assert.Equal(await Journal.MaxTransactionIdAsync(default), snapshot.Sequence);
    }

    [Fact]
    public async Task The_registry_keeps_one_account_per_person()
    {
        var first = await Registry.OpenHolderAsync("2021001", "张三", CardType.Student, "", Now, default);
        var second = await Registry.OpenHolderAsync("2021001", "Someone Else", CardType.Staff, "", Now, default);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(first, await Registry.FindHolderAsync("2021001", default));
        Assert.Equal(3L, await Database.ScalarAsync<long>($"SELECT count(*) FROM accounts WHERE owner = {first!.Id} AND kind IN (1, 2, 3)"));
    }
}
