using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.HotStore;

[Trait("Suite", "Cluster")]
public class HotStoreTests : StoreTestBase
{
    private static Decision Decided(DecidedBatch batch, int index = 0)
    {
        Assert.Equal(HotOutcome.New, batch.Results[index].Outcome);
        return batch.Results[index].Decision!;
    }

    [Fact]
    public async Task An_approved_debit_takes_the_amount_from_the_purse()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();

        var d = Decided(await DecideAsync(Debit(holder, merchant, 350)));

        Assert.Equal(Outcome.Approved, d.Outcome);
        Assert.Equal(650, d.Balances.PurseFen);
        Assert.Equal(350, d.MovedFen);
        var state = await HolderAsync(holder);
        Assert.Equal(650, state!.Balances.PurseFen);
        Assert.Equal(350, state.DaySpentFen);
    }

    [Fact]
    public async Task A_debit_beyond_the_balance_is_declined_and_changes_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();

        var d = Decided(await DecideAsync(Debit(holder, merchant, 1_001)));

        Assert.Equal((Outcome.Declined, DeclineReason.InsufficientFunds), (d.Outcome, d.Reason));
        Assert.Equal(1_000, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task Requests_in_one_batch_see_each_others_effects()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();

        var batch = await DecideAsync(Debit(holder, merchant, 600), Debit(holder, merchant, 600), Debit(holder, merchant, 400));

        Assert.Equal([Outcome.Approved, Outcome.Declined, Outcome.Approved], batch.Results.Select(r => r.Decision!.Outcome));
        Assert.Equal(0, batch.Results[2].Decision!.Balances.PurseFen);
        var ids = batch.Results.Select(r => r.Decision!.TransactionId).ToArray();
        Assert.Equal([ids[0], ids[0] + TransactionIds.PartitionSlots, ids[0] + 2 * TransactionIds.PartitionSlots], ids);
        Assert.Equal(HotProbe.PartitionOf(holder.PersonNo), TransactionIds.PartitionOf(ids[0]));
    }

    [Fact]
    public async Task A_card_of_the_holder_that_is_not_the_live_one_is_replaced_and_one_never_issued_unknown()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        await Hot.AddCardAsync(new IssuedCard("600000000001", holder.Id, holder.PersonNo, Now));
        var notLive = Debit(holder, merchant, 100) with { CardNo = "600000000001" };
        var nobody = Debit(holder, merchant, 100) with { CardNo = "600000000002" };

        var batch = await DecideAsync(notLive, nobody);

        Assert.Equal([DeclineReason.CardReplaced, DeclineReason.UnknownCard], batch.Results.Select(r => r.Decision!.Reason));
        Assert.Equal((holder.Id, 0L), (batch.Results[0].Decision!.HolderId, batch.Results[1].Decision!.HolderId));
    }

    [Fact]
    public async Task A_redis_that_forgot_its_scripts_and_functions_loads_them_again()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        await DecideAsync(Debit(holder, merchant, 100));
        await LocalServers.Redis.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        await LocalServers.Redis.GetDatabase().ExecuteAsync("FUNCTION", "FLUSH");

        var batch = await DecideAsync(Debit(holder, merchant, 100));

        Assert.Equal(Outcome.Approved, batch.Results[0].Decision!.Outcome);
        Assert.Equal(800, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_retry_gets_the_first_answer_and_decides_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 100);
        var first = Decided(await DecideAsync(debit));

        var retry = await DecideAsync(debit);

        Assert.Equal(HotOutcome.Replay, retry.Results[0].Outcome);
        Assert.Equal(first, retry.Results[0].Decision);
        Assert.Null(retry.OutboxId);
        Assert.Equal(900, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_request_id_reused_for_different_content_is_a_conflict()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 100);
        await DecideAsync(debit);

        var reused = await DecideAsync(debit with { AmountFen = 200 });

        Assert.Equal(new HotResult(HotOutcome.Conflict, null), reused.Results[0]);
        Assert.Equal(900, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_reversal_refunds_once()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 250);
        await DecideAsync(debit);

        var first = Decided(await DecideAsync(Reversal(holder, merchant, debit.RequestId)));
        var second = Decided(await DecideAsync(Reversal(holder, merchant, debit.RequestId)));

        Assert.Equal((Outcome.Approved, Effect.Refunded, 250L, merchant.No), (first.Outcome, first.Effect, first.MovedFen, first.MerchantNo));
        Assert.Equal((Outcome.Declined, DeclineReason.AlreadyReversed), (second.Outcome, second.Reason));
        var state = await HolderAsync(holder);
        Assert.Equal((1_000L, 0L), (state!.Balances.PurseFen, state.DaySpentFen));
    }

    [Fact]
    public async Task A_reversal_before_its_original_leaves_a_tombstone_and_the_late_original_is_declined()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 250);

        var reversal = Decided(await DecideAsync(Reversal(holder, merchant, debit.RequestId)));
        var late = Decided(await DecideAsync(debit));
        var again = Decided(await DecideAsync(Reversal(holder, merchant, debit.RequestId)));

        Assert.Equal((Outcome.Approved, Effect.OriginalUnknown, 0L), (reversal.Outcome, reversal.Effect, reversal.MovedFen));
        Assert.Equal((Outcome.Declined, DeclineReason.ReversedBeforeArrival), (late.Outcome, late.Reason));
        Assert.Equal(DeclineReason.AlreadyReversed, again.Reason);
        Assert.Equal(1_000, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_tombstone_stops_only_a_late_debit()
    {
        var holder = await OpenHolderAsync();
        var merchant = await OpenMerchantAsync();
        var transfer = new ClearingRequest { Kind = TransactionKind.Transfer, RequestId = "same-id", Campus = Campuses.Default, PersonNo = holder.PersonNo, AmountFen = 1, Direction = TransferDirection.PurseToWallet };
        var debit = Debit(holder, merchant, 1, "same-id");
        await DecideAsync(Reversal(holder, merchant, debit.RequestId));

        var late = Decided(await DecideAsync(debit));
        var other = Decided(await DecideAsync(transfer));

        Assert.Equal(DeclineReason.ReversedBeforeArrival, late.Reason);
        Assert.Equal(DeclineReason.InsufficientFunds, other.Reason);
    }

    [Fact]
    public async Task Only_a_terminal_of_the_original_merchant_reverses_a_debit()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var canteen = await OpenMerchantAsync();
        var other = await OpenMerchantAsync();
        var debit = Debit(holder, canteen, 300);
        await DecideAsync(debit);

        var refused = Decided(await DecideAsync(Reversal(holder, other, debit.RequestId)));
        var refunded = Decided(await DecideAsync(Reversal(holder, canteen, debit.RequestId)));

        Assert.Equal((Outcome.Declined, DeclineReason.OtherMerchant), (refused.Outcome, refused.Reason));
        Assert.Equal((Outcome.Approved, 300L), (refunded.Outcome, refunded.MovedFen));
    }

    [Fact]
    public async Task Reversing_a_declined_debit_moves_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 100);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 250);
        await DecideAsync(debit);

        var d = Decided(await DecideAsync(Reversal(holder, merchant, debit.RequestId)));

        Assert.Equal((Outcome.Approved, Effect.NothingToReverse, 0L), (d.Outcome, d.Effect, d.MovedFen));
        Assert.Equal(100, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task Only_debits_can_be_reversed()
    {
        var holder = await OpenHolderAsync(purseFen: 100);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 10);
        var reversal = Reversal(holder, merchant, debit.RequestId);
        await DecideAsync(debit, reversal);

        var d = Decided(await DecideAsync(Reversal(holder, merchant, reversal.RequestId)));

        Assert.Equal(DeclineReason.NotReversible, d.Reason);
    }

    [Fact]
    public async Task A_transfer_moves_money_between_purse_and_wallet_without_overdraft()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        ClearingRequest Transfer(TransferDirection direction, long amount) =>
            new() { Kind = TransactionKind.Transfer, RequestId = NextRequestId(), Campus = Campuses.Default, PersonNo = holder.PersonNo, AmountFen = amount, Direction = direction };

        var batch = await DecideAsync(
            Transfer(TransferDirection.PurseToWallet, 700),
            Transfer(TransferDirection.PurseToWallet, 301),
            Transfer(TransferDirection.WalletToPurse, 200));

        Assert.Equal([Outcome.Approved, Outcome.Declined, Outcome.Approved], batch.Results.Select(r => r.Decision!.Outcome));
        Assert.Equal(new Balances(500, 500, 0), batch.Results[2].Decision!.Balances);
    }

    [Fact]
    public async Task The_outbox_holds_a_decided_batch_until_it_is_acknowledged_and_tells_its_age()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var requests = new[] { Debit(holder, merchant, 10), Debit(holder, merchant, 5_000) };

        var batch = await DecideAsync(requests);

        Assert.Empty(await Hot.OutboxAsync(TimeSpan.FromMinutes(1)));
        var outbox = Assert.Single(await Hot.OutboxAsync(TimeSpan.Zero));
        Assert.Equal((batch.Partition, batch.OutboxId), (outbox.Partition, outbox.OutboxId));
        Assert.Equal(NewEntries(requests, batch), outbox.Entries);
        await Hot.AcknowledgeAsync(batch.Partition, [batch.OutboxId!]);
        Assert.Empty(await Hot.OutboxAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task Deciding_behind_the_high_water_fails_and_changes_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var partition = HotProbe.PartitionOf(holder.PersonNo);
        var behind = LocalServers.HotStore(Prefix);
        behind.SetHighWater(partition, (await Hot.GetSequenceAsync(partition))!.Value + 10);

        var targets = await TargetsAsync(Debit(holder, merchant, 10));

        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => behind.DecideAsync(partition, targets, Now, Today, [], []));

        Assert.Equal(1_000, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_store_restored_from_the_journal_answers_as_the_original_did()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var kept = Debit(holder, merchant, 100);
        var reversed = Debit(holder, merchant, 200);
        var early = Reversal(holder, merchant, "never-arrived");
        await DecideAndJournalAsync(kept, reversed, early);
        var refund = Reversal(holder, merchant, reversed.RequestId);
        await DecideAndJournalAsync(refund);
        var before = await HolderAsync(holder);
        var answers = await DecideAsync(kept, refund);

        await LocalServers.DeleteKeysAsync(Prefix);
        await RestoreAsync();

        Assert.Equal(before, await HolderAsync(holder));
        var replays = await DecideAsync(kept, refund);
        Assert.Equal(answers.Results, replays.Results);
        var late = await DecideAsync(Debit(holder, merchant, 50, "never-arrived"), Reversal(holder, merchant, reversed.RequestId));
        Assert.Equal(DeclineReason.ReversedBeforeArrival, late.Results[0].Decision!.Reason);
        Assert.Equal(DeclineReason.AlreadyReversed, late.Results[1].Decision!.Reason);
    }

    [Fact]
    public async Task A_retry_whose_record_is_gone_gets_the_first_answer_from_the_journal()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 100);
        var first = Decided(await DecideAndJournalAsync(debit));
        await DeleteRecordsAsync();

        var retry = await DecideAsync(await TargetsAsync(debit), await Journal.FindAsync([(debit.Scope, debit.RequestId)], default));

        Assert.Equal(new HotResult(HotOutcome.Replay, first), retry.Results[0]);
        Assert.Equal(900, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_reversal_whose_records_are_gone_still_refunds_once_and_stops_a_late_original()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 300);
        var early = Reversal(holder, merchant, "late-original");
        await DecideAndJournalAsync(debit, early);
        await DeleteRecordsAsync();
        var refund = Reversal(holder, merchant, debit.RequestId);
        var late = Debit(holder, merchant, 50, "late-original");

        var batch = await DecideAsync(await TargetsAsync(refund, late),
            await Journal.FindAsync([(refund.Scope, refund.RequestId), (refund.Scope, debit.RequestId), (late.Scope, late.RequestId)], default));
        var again = await DecideAsync(await TargetsAsync(Reversal(holder, merchant, debit.RequestId)), []);

        Assert.Equal((Outcome.Approved, Effect.Refunded, 300L), (batch.Results[0].Decision!.Outcome, batch.Results[0].Decision!.Effect, batch.Results[0].Decision!.MovedFen));
        Assert.Equal(DeclineReason.ReversedBeforeArrival, batch.Results[1].Decision!.Reason);
        Assert.Equal(DeclineReason.AlreadyReversed, again.Results[0].Decision!.Reason);
        Assert.Equal(1_000, (await HolderAsync(holder))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_record_expires_at_the_window_while_a_younger_one_still_answers()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var hot = LocalServers.HotStore(Prefix, window: TimeSpan.FromSeconds(3));
        var (older, younger) = (Debit(holder, merchant, 100), Debit(holder, merchant, 200));
        var partition = HotProbe.PartitionOf(holder.PersonNo);
        await hot.DecideAsync(partition, await TargetsAsync(older), Now, Today, [], []);
        // The older record was written before now: it expires by now + 3 s; the younger one a second and a half later.
        var olderDecided = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var first = Decided(await hot.DecideAsync(partition, await TargetsAsync(younger), Now, Today, [], []));
        await Task.Delay(olderDecided + TimeSpan.FromSeconds(3.3) - DateTimeOffset.UtcNow);

        var retries = await hot.DecideAsync(partition, await TargetsAsync(younger, older), Now, Today, [], []);

        Assert.Equal(new HotResult(HotOutcome.Replay, first), retries.Results[0]);
        // The hot store alone has forgotten the older one (the engine would ask the journal first) and decides it again.
        Assert.Equal((HotOutcome.New, 600L), (retries.Results[1].Outcome, retries.Results[1].Decision!.Balances.PurseFen));
    }

    [Fact]
    public async Task A_rebuild_restores_the_records_of_the_window_only_each_for_what_is_left_of_it()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var partition = HotProbe.PartitionOf(holder.PersonNo);
        var window = TimeSpan.FromMinutes(10);
        var (older, younger) = (Debit(holder, merchant, 100), Debit(holder, merchant, 200));
        foreach (var (debit, age) in new[] { (older, TimeSpan.FromMinutes(11)), (younger, TimeSpan.FromMinutes(4)) })
        {
            var decided = await Hot.DecideAsync(partition, await TargetsAsync(debit), Now - age, Today, [], []);
            await Journal.AppendAsync(NewEntries([debit], decided), default);
            await Hot.AcknowledgeAsync(partition, [decided.OutboxId!]);
        }

        var hot = LocalServers.HotStore(Prefix, window: window);
        await hot.RebuildAsync(partition, await Journal.SnapshotAsync(Hot.Partitions, partition, Now, BusinessDays.Everywhere(Today), window, default));

        var db = LocalServers.Redis.GetDatabase();
        Assert.False(await db.KeyExistsAsync(HotProbe.RecordKey(Prefix, holder.PersonNo, older)));
        var left = await db.KeyTimeToLiveAsync(HotProbe.RecordKey(Prefix, holder.PersonNo, younger));
        Assert.InRange(left!.Value, TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(6));
    }

    [Fact]
    public async Task A_store_that_is_not_complete_decides_and_reads_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        await LocalServers.Redis.GetDatabase().KeyDeleteAsync(HotProbe.SequenceKey(Prefix, holder.PersonNo));

        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => DecideAsync(Debit(holder, merchant, 10)));
        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => HolderAsync(holder));

        Assert.Null(await Hot.GetSequenceAsync(HotProbe.PartitionOf(holder.PersonNo)));
    }

    [Fact]
    public async Task A_known_holder_missing_from_the_store_is_lost_writes_not_an_unknown_card()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 10);
        var targets = await TargetsAsync(debit);
        await LocalServers.Redis.GetDatabase().KeyDeleteAsync(HotProbe.HolderKey(Prefix, holder.PersonNo));

        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => DecideAsync(targets));
        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => HolderAsync(holder));

        Assert.Empty(await Hot.OutboxAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task A_rebuild_that_loses_keys_on_the_way_is_not_marked_complete()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var partition = HotProbe.PartitionOf(holder.PersonNo);
        var snapshot = await SnapshotAsync(partition);
        var flushing = new FlushingSnapshot(snapshot, Prefix);

        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => Hot.RebuildAsync(partition, flushing.Snapshot));

        Assert.Null(await Hot.GetSequenceAsync(partition));
        await Hot.RebuildAsync(partition, snapshot);
        Assert.Equal(snapshot.Sequence, await Hot.GetSequenceAsync(partition));
    }

    [Fact]
    public async Task A_rebuild_begun_after_another_makes_the_earlier_one_write_nothing_and_complete_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var partition = HotProbe.PartitionOf(holder.PersonNo);
        var older = await SnapshotAsync(partition);
        var earlier = await Hot.BeginRebuildAsync(partition);
        var later = await Hot.BeginRebuildAsync(partition);
        await Hot.RestoreAsync(partition, later, older);
        var debit = Debit(holder, merchant, 300);
        var decided = await Hot.DecideAsync(partition, await TargetsAsync(debit), Now, Today, [], []);
        await Journal.AppendAsync(NewEntries([debit], decided), default);

        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => Hot.RestoreAsync(partition, earlier, older));

        Assert.Equal(700, (await HolderAsync(holder))!.Balances.PurseFen);
        Assert.Equal(older.Sequence + 1, await Hot.GetSequenceAsync(partition));
    }

    /// <summary>A snapshot whose holders list empties the store's keys (as a FLUSHALL would) while the rebuild writes it.</summary>
    private sealed class FlushingSnapshot(HotSnapshot snapshot, string prefix)
    {
        public HotSnapshot Snapshot => snapshot with { Holders = new Flushing(snapshot.Holders, prefix) };

        private sealed class Flushing(IReadOnlyList<HolderHotState> holders, string prefix) : IReadOnlyList<HolderHotState>
        {
            public HolderHotState this[int index] => holders[index];

            public int Count => holders.Count;

            public IEnumerator<HolderHotState> GetEnumerator()
            {
                LocalServers.DeleteKeysAsync(prefix).GetAwaiter().GetResult();
                return holders.GetEnumerator();
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }

    private async Task DeleteRecordsAsync()
    {
        var db = LocalServers.Redis.GetDatabase();
        foreach (var key in LocalServers.Keys(Prefix + "*}r:*")) await db.KeyDeleteAsync(key);
    }
}
