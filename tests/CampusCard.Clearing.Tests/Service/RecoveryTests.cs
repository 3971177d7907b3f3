using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using CampusCard.Clearing.HotStore.Internal;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Restarts, a journal that goes away, and a Redis that loses its state.</summary>
public class RecoveryTests : ServiceTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Engine:ShutdownGrace", "00:00:00.2"),
        new("Engine:JournalRetryMax", "00:00:00.1"),
    ];

    [Fact]
    public async Task A_restart_with_requests_in_flight_loses_nothing_and_doubles_nothing()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenFundedAccountAsync(100_000)));
        var merchant = await OpenMerchantAsync();
        var debits = Enumerable.Range(0, 400).Select(i => Debit(accounts[i % 4], merchant, 1 + i % 50)).ToArray();

        var terminal = TerminalOf(merchant.MerchantId);
        var calls = debits.Select(d => Task.Run(() => CallAsync(terminal.DebitAsync, d))).ToArray();
        await Task.Delay(20);
        await StopServiceAsync();
        var answered = new List<(DebitRequest Request, DebitReply Reply)>();
        for (var i = 0; i < calls.Length; i++)
        {
            try { answered.Add((debits[i], await calls[i])); }
            catch (RpcException) { }
        }
        await StartServiceAsync();

        await AssertInvariantsAsync(answered.Select(a => a.Reply.TransactionId));
        foreach (var (request, reply) in answered) Assert.Equal(reply, await DebitAsync(request));
        var retried = await Task.WhenAll(debits.Select(DebitAsync));
        var taken = debits.Zip(retried).Where(x => x.Second.Outcome == Outcome.Approved).Sum(x => x.First.AmountFen);
        Assert.Equal(4 * 100_000 - taken, (await Task.WhenAll(accounts.Select(PurseAsync))).Sum());
        Assert.Equal((long)debits.Length, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 1"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task Decided_batches_the_journal_could_not_take_are_journaled_at_the_next_start()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        await Database.SetReachableAsync(false);

        var stuck = Debit(account, merchant, 1_000);
        var call = Terminal.DebitAsync(stuck, deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync;
        var unanswered = await Assert.ThrowsAsync<RpcException>(() => call);
        var refused = await AssertStatusAsync(StatusCode.Unavailable, () => DebitAsync(Debit(account, merchant, 1)));
        await StopServiceAsync();
        Assert.NotEmpty(await LocalServers.HotStore(Prefix).ReadOutboxAsync(10, TimeSpan.Zero));

        await Database.SetReachableAsync(true);
        await StartServiceAsync();

        Assert.Equal(StatusCode.DeadlineExceeded, unanswered.StatusCode);
        Assert.Contains("journal", refused.Status.Detail);
        var retry = await DebitAsync(stuck);
        Assert.Equal((Outcome.Approved, 9_000L), (retry.Outcome, retry.BalanceFen));
        Assert.Equal(9_000L, await PurseAsync(account));
        await AssertInvariantsAsync([retry.TransactionId]);
    }

    [Fact]
    public async Task A_journal_that_comes_back_is_written_and_the_callers_answered()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        await Database.SetReachableAsync(false);
        var call = DebitAsync(Debit(account, merchant, 2_500));
        await Task.Delay(300);
        Assert.False(call.IsCompleted);

        await Database.SetReachableAsync(true);

        var reply = await call;
        Assert.Equal((Outcome.Approved, 7_500L), (reply.Outcome, reply.BalanceFen));
        Assert.Equal(Outcome.Approved, (await DebitAsync(Debit(account, merchant, 1))).Outcome);
        await AssertInvariantsAsync([reply.TransactionId]);
    }

    [Fact]
    public async Task An_emptied_redis_is_rebuilt_from_the_journal_at_start()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var kept = Debit(account, merchant, 1_200);
        var reversed = Debit(account, merchant, 300);
        var keptReply = await DebitAsync(kept);
        await DebitAsync(reversed);
        await ReverseAsync(account, reversed.RequestId);
        var early = await ReverseAsync(account, "late-original");
        await StopServiceAsync();

        await LocalServers.DeleteKeysAsync(Prefix);
        await StartServiceAsync();

        Assert.Equal(8_800L, await PurseAsync(account));
        Assert.Equal(keptReply, await DebitAsync(kept));
        Assert.Equal(DeclineReason.AlreadyReversed, (await ReverseAsync(account, reversed.RequestId)).DeclineReason);
        Assert.Equal(DeclineReason.ReversedBeforeArrival, (await DebitAsync(Debit(account, merchant, 50, "late-original"))).DeclineReason);
        Assert.Equal(ReversalEffect.OriginalUnknown, early.Effect);
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_store_in_an_older_format_is_rebuilt_from_the_journal_at_start()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var paid = Debit(account, merchant, 1_500);
        var paidReply = await DebitAsync(paid);
        await StopServiceAsync();
        // Format 1 kept a holder as a hash of its fields and the sequence under "seq"; this one's purse is
        // stale, so only a rebuild from the journal gives the balance asserted below.
        var keys = new Keys(Prefix);
        var formatOneSequence = $"{Prefix}seq";
        var redis = LocalServers.Redis.GetDatabase();
        Assert.True(Domain.CardNumber.TryParse(account.CardNo, out var card));
        var sequence = (long)await redis.StringGetAsync(keys.Sequence);
        await redis.KeyDeleteAsync([keys.Holder(card.HolderId), keys.Sequence]);
        await redis.HashSetAsync(keys.Holder(card.HolderId), [new("ci", 1), new("st", 1), new("pu", 10_000), new("ew", 0), new("pe", 0), new("dd", 0), new("ds", 0)]);
        await redis.StringSetAsync(formatOneSequence, sequence);

        await StartServiceAsync();

        Assert.Equal(8_500L, await PurseAsync(account));
        Assert.Equal(paidReply, await DebitAsync(paid));
        Assert.Equal((Outcome.Approved, 8_000L), ((await DebitAsync(Debit(account, merchant, 500))).Outcome, await PurseAsync(account)));
        Assert.False(await redis.KeyExistsAsync(formatOneSequence));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_redis_that_lost_writes_while_serving_is_rebuilt_before_deciding_again()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        await DebitAsync(Debit(account, merchant, 4_000));
        // As after a restart from an append-only file missing its last second: the debit and its id are gone.
        await ChangeHotStateAsync(account, h => h with { Balances = h.Balances with { PurseFen = 10_000 } });
        await LocalServers.Redis.GetDatabase().StringDecrementAsync(new Keys(Prefix).Sequence);

        var refused = await AssertStatusAsync(StatusCode.Unavailable, () => DebitAsync(Debit(account, merchant, 7_000)));

        DebitReply? reply = null;
        for (var i = 0; i < 100 && reply is null; i++)
        {
            try { reply = await DebitAsync(Debit(account, merchant, 7_000, "after-rebuild")); }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable) { await Task.Delay(50); }
        }
        Assert.Contains("retry", refused.Status.Detail);
        Assert.Equal((Outcome.Declined, DeclineReason.InsufficientFunds, 6_000L), (reply!.Outcome, reply.DeclineReason, reply.BalanceFen));
        await AssertInvariantsAsync();
    }
}
