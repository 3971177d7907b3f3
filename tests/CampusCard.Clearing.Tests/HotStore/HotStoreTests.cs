using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.HotStore;

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
        var state = await Hot.GetHolderAsync(holder.Id);
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
        Assert.Equal(1_000, (await Hot.GetHolderAsync(holder.Id))!.Balances.PurseFen);
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
        Assert.Equal([ids[0], ids[0] + 1, ids[0] + 2], ids);
    }

    [Fact]
    public async Task A_card_replaced_or_never_issued_is_declined_as_unknown()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var oldCard = Debit(holder, merchant, 100) with { CardIssue = holder.CardIssue + 1 };
        var nobody = Debit(holder, merchant, 100) with { HolderId = holder.Id + 1000 };

        var batch = await DecideAsync(oldCard, nobody);

        Assert.All(batch.Results, r => Assert.Equal(DeclineReason.UnknownCard, r.Decision!.Reason));
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
        Assert.Equal(900, (await Hot.GetHolderAsync(holder.Id))!.Balances.PurseFen);
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
        Assert.Equal(900, (await Hot.GetHolderAsync(holder.Id))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_reversal_refunds_once()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 250);
        await DecideAsync(debit);

        var first = Decided(await DecideAsync(Reversal(holder, debit.RequestId)));
        var second = Decided(await DecideAsync(Reversal(holder, debit.RequestId)));

        Assert.Equal((Outcome.Approved, ReversalEffect.Refunded, 250L, merchant.No), (first.Outcome, first.Effect, first.MovedFen, first.MerchantNo));
        Assert.Equal((Outcome.Declined, DeclineReason.AlreadyReversed), (second.Outcome, second.Reason));
        var state = await Hot.GetHolderAsync(holder.Id);
        Assert.Equal((1_000L, 0L), (state!.Balances.PurseFen, state.DaySpentFen));
    }

    [Fact]
    public async Task A_reversal_before_its_original_leaves_a_tombstone_and_the_late_original_is_declined()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 250);

        var reversal = Decided(await DecideAsync(Reversal(holder, debit.RequestId)));
        var late = Decided(await DecideAsync(debit));
        var again = Decided(await DecideAsync(Reversal(holder, debit.RequestId)));

        Assert.Equal((Outcome.Approved, ReversalEffect.OriginalUnknown, 0L), (reversal.Outcome, reversal.Effect, reversal.MovedFen));
        Assert.Equal((Outcome.Declined, DeclineReason.ReversedBeforeArrival), (late.Outcome, late.Reason));
        Assert.Equal(DeclineReason.AlreadyReversed, again.Reason);
        Assert.Equal(1_000, (await Hot.GetHolderAsync(holder.Id))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_tombstone_stops_only_a_late_debit()
    {
        var holder = await OpenHolderAsync();
        var credit = Credit(holder, 500);
        await DecideAsync(Reversal(holder, credit.RequestId));

        var d = Decided(await DecideAsync(credit));

        Assert.Equal((Outcome.Approved, 500L), (d.Outcome, d.Balances.PurseFen));
    }

    [Fact]
    public async Task Reversing_a_declined_debit_moves_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 100);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(holder, merchant, 250);
        await DecideAsync(debit);

        var d = Decided(await DecideAsync(Reversal(holder, debit.RequestId)));

        Assert.Equal((Outcome.Approved, ReversalEffect.NothingToReverse, 0L), (d.Outcome, d.Effect, d.MovedFen));
        Assert.Equal(100, (await Hot.GetHolderAsync(holder.Id))!.Balances.PurseFen);
    }

    [Fact]
    public async Task Only_debits_can_be_reversed()
    {
        var holder = await OpenHolderAsync();
        var credit = Credit(holder, 500);
        await DecideAsync(credit);

        var d = Decided(await DecideAsync(Reversal(holder, credit.RequestId)));

        Assert.Equal(DeclineReason.NotReversible, d.Reason);
    }

    [Fact]
    public async Task A_transfer_moves_money_between_purse_and_wallet_without_overdraft()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        ClearingRequest Transfer(TransferDirection direction, long amount) =>
            new() { Kind = TransactionKind.Transfer, RequestId = NextRequestId(), HolderId = holder.Id, AmountFen = amount, Direction = direction };

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

        Assert.Empty(await Hot.ReadOutboxAsync(10, TimeSpan.FromMinutes(1)));
        var outbox = Assert.Single(await Hot.ReadOutboxAsync(10, TimeSpan.Zero));
        Assert.Equal(batch.OutboxId, outbox.OutboxId);
        Assert.Equal(NewEntries(requests, batch), outbox.Entries);
        await Hot.AcknowledgeAsync([batch.OutboxId!]);
        Assert.Empty(await Hot.ReadOutboxAsync(10, TimeSpan.Zero));
    }

    [Fact]
    public async Task Deciding_behind_the_high_water_fails_and_changes_nothing()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        Hot.HighWater = (await Hot.GetSequenceAsync())!.Value + 10;

        await Assert.ThrowsAsync<HotStoreLostWritesException>(() => DecideAsync(Debit(holder, merchant, 10)));

        Assert.Equal(1_000, (await Hot.GetHolderAsync(holder.Id))!.Balances.PurseFen);
    }

    [Fact]
    public async Task A_store_restored_from_the_journal_answers_as_the_original_did()
    {
        var holder = await OpenHolderAsync(purseFen: 1_000);
        var merchant = await OpenMerchantAsync();
        var kept = Debit(holder, merchant, 100);
        var reversed = Debit(holder, merchant, 200);
        var early = Reversal(holder, "never-arrived");
        await DecideAndJournalAsync(kept, reversed, early);
        var refund = Reversal(holder, reversed.RequestId);
        await DecideAndJournalAsync(refund);
        var before = await Hot.GetHolderAsync(holder.Id);
        var answers = await DecideAsync(kept, refund);

        await LocalServers.DeleteKeysAsync(Prefix);
        var restored = LocalServers.HotStore(Prefix);
        await restored.RestoreAsync(await Journal.SnapshotAsync(Now, Today, TimeSpan.FromDays(7), default));

        Assert.Equal(before, await restored.GetHolderAsync(holder.Id));
        var replays = await restored.DecideAsync([kept, refund], Now, Today, []);
        Assert.Equal(answers.Results, replays.Results);
        var late = await restored.DecideAsync([Debit(holder, merchant, 50, "never-arrived"), Reversal(holder, reversed.RequestId)], Now, Today, []);
        Assert.Equal(DeclineReason.ReversedBeforeArrival, late.Results[0].Decision!.Reason);
        Assert.Equal(DeclineReason.AlreadyReversed, late.Results[1].Decision!.Reason);
    }
}
