using Microsoft.Extensions.DependencyInjection;
using Google.Protobuf;
using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using CampusCard.Clearing.HotStore.Internal;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>Restarts, a journal that goes away, and a Redis that loses its state.</summary>
[Trait("Suite", "Cluster")]
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
    public async Task A_restart_with_card_changes_and_debits_in_flight_keeps_the_card_state_the_journal_has()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => OpenFundedAccountAsync(100_000)));
        var merchant = await OpenMerchantAsync();
        // Each call builds its client when it runs: the ones after the restart go to the new service.
        async Task<IMessage> Change(int i) => (i % 4) switch
        {
            0 => await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = $"f-{i}", PersonNo = accounts[i % 6].PersonNo, Reason = FreezeReason.Admin }),
            1 => await CallAsync(Cards.UnfreezeAsync, new UnfreezeRequest { RequestId = $"u-{i}", PersonNo = accounts[i % 6].PersonNo }),
            2 => await CallAsync(Cards.ReportLossAsync, new ReportLossRequest { RequestId = $"l-{i}", PersonNo = accounts[i % 6].PersonNo }),
            _ => await CallAsync(TerminalOf(merchant.MerchantId).DebitAsync, Debit(accounts[i % 6], merchant, 10, $"d-{i}")),
        };
        var changes = Enumerable.Range(0, 120).Select(i => (Func<Task<IMessage>>)(() => Change(i))).ToArray();

        var calls = changes.Select(c => Task.Run(c)).ToArray();
        await Task.Delay(20);
        await StopServiceAsync();
        var answered = new List<long>();
        foreach (var call in calls)
        {
            try { answered.Add((long)((await call).Descriptor.FindFieldByName("transaction_id").Accessor.GetValue(await call))); }
            catch (RpcException) { }
        }
        await StartServiceAsync();

        await AssertInvariantsAsync(answered);
        var again = await Task.WhenAll(changes.Select(c => RetryWhileUnavailableAsync(c)));
        Assert.Equal((long)changes.Length, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE request_id ~ '^[fuld]-'"));
        await AssertInvariantsAsync(again.Select(r => (long)r.Descriptor.FindFieldByName("transaction_id").Accessor.GetValue(r)));
    }

    [SingleInstanceFact("that the journal refused its writes, so it refuses new requests")]
    public async Task Decided_batches_the_journal_could_not_take_are_journaled_at_the_next_start()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        await Database.RefuseJournalWritesAsync(true);

        var stuck = Debit(account, merchant, 1_000);
        var call = Terminal.DebitAsync(stuck, deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync;
        var unanswered = await Assert.ThrowsAsync<RpcException>(() => call);
        var refused = await AssertStatusAsync(StatusCode.Unavailable, () => DebitAsync(Debit(account, merchant, 1)));
        await StopServiceAsync();
        Assert.NotEmpty(await LocalServers.HotStore(Prefix).OutboxAsync(TimeSpan.Zero));

        await Database.RefuseJournalWritesAsync(false);
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
        await Database.RefuseJournalWritesAsync(true);
        var call = DebitAsync(Debit(account, merchant, 2_500));
        await Task.Delay(300);
        Assert.False(call.IsCompleted);

        await Database.RefuseJournalWritesAsync(false);

        var reply = await call;
        Assert.Equal((Outcome.Approved, 7_500L), (reply.Outcome, reply.BalanceFen));
        Assert.Equal(Outcome.Approved, (await DebitAsync(Debit(account, merchant, 1))).Outcome);
        await AssertInvariantsAsync([reply.TransactionId]);
    }

    [SingleInstanceFact("that the journal cannot be reached, so it refuses new requests")]
    public async Task A_request_while_the_journal_cannot_be_reached_waits_for_it_and_later_ones_are_refused()
    {
        var (account, merchant, debit) = await TenYuanDebitAsync();
        await Database.SetReachableAsync(false);

        var waiting = DebitAsync(debit);
        // Decided, and its journal write failing, before anything else is sent: the later debits cannot come first.
        var engine = Service.App.Services.GetRequiredService<CampusCard.Clearing.Engine.ClearingEngine>();
        for (var i = 0; i < 500 && engine.State == CampusCard.Clearing.Engine.EngineState.Ready; i++) await Task.Delay(10);
        RpcException? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            try { await Terminal.DebitAsync(Debit(account, merchant, 1), deadline: DateTime.UtcNow.AddMilliseconds(200)); }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable) { refused = e; }
            catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded) { }
        }
        Assert.False(waiting.IsCompleted);
        await Database.SetReachableAsync(true);

        Assert.Contains("new ones are not admitted", refused!.Status.Detail);
        var reply = await waiting;
        Assert.Equal((Outcome.Approved, 9_000L), (reply.Outcome, reply.BalanceFen));
        Assert.Equal(reply, await DebitAsync(debit));
        await AssertInvariantsAsync([reply.TransactionId]);
    }

    [SingleInstanceFact("the decisions it journaled")]
    public async Task A_retry_of_a_debit_this_instance_journaled_is_answered_while_the_journal_cannot_be_reached()
    {
        var (account, _, debit) = await TenYuanDebitAsync();
        var first = await DebitAsync(debit);
        await Database.SetReachableAsync(false);

        var retried = await DebitAsync(debit);
        await Database.SetReachableAsync(true);

        Assert.Equal(first, retried);
        Assert.Equal(9_000L, await PurseAsync(account));
    }

    [SingleInstanceFact("a terminal's registration it read")]
    public async Task A_terminal_read_before_keeps_calling_while_the_registry_cannot_be_read()
    {
        var (_, _, debit) = await TenYuanDebitAsync();
        var first = await DebitAsync(debit);
        Clock.Advance(CampusCard.Clearing.Engine.Directory.TerminalTtl + TimeSpan.FromSeconds(1));
        await Database.SetReachableAsync(false);

        var retried = await DebitAsync(debit);
        await Database.SetReachableAsync(true);

        Assert.Equal(first, retried);
    }

    [Fact]
    public async Task A_terminal_whose_registration_cannot_be_read_is_unavailable_not_unauthenticated()
    {
        var (account, merchant, debit) = await TenYuanDebitAsync();
        await RestartServiceAsync();
        await Database.SetReachableAsync(false);

        var refused = await AssertStatusAsync(StatusCode.Unavailable, () => DebitAsync(debit));
        await Database.SetReachableAsync(true);

        Assert.Contains($"registration of terminal {TerminalIdOf(merchant.MerchantId)} cannot be read", refused.Status.Detail);
        await RetryWhileUnavailableAsync(() => DebitAsync(debit));
        Assert.Equal(9_000L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_retry_while_the_journal_cannot_be_reached_is_unavailable_not_internal()
    {
        var (account, merchant, debit) = await TenYuanDebitAsync();
        var first = await DebitAsync(debit);
        // After a restart the service no longer knows it journaled the original: the retry needs the journal.
        await RestartServiceAsync();
        await CallAsync(TerminalOf(merchant.MerchantId).GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo });
        await Database.SetReachableAsync(false);

        var refused = await AssertStatusAsync(StatusCode.Unavailable, () => DebitAsync(debit));
        await Database.SetReachableAsync(true);

        Assert.Contains("retry with the same request_id", refused.Status.Detail);
        Assert.Equal(first, await RetryWhileUnavailableAsync(() => DebitAsync(debit)));
        Assert.Equal(9_000L, await PurseAsync(account));
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
        // Format 3 kept a holder as a version byte and eight packed integers and the sequence under "seq:v3"; this
        // one's purse is stale, so only a rebuild from the journal gives the balance asserted below.
        var redis = LocalServers.Redis.GetDatabase();
        var sequence = await Database.ScalarAsync<long>("SELECT max(id) FROM transactions");
        await LocalServers.DeleteKeysAsync(Prefix);
        await redis.StringSetAsync($"{Prefix}{{p:{account.PersonNo}}}", new byte[] { 3 }.Concat(new byte[64]).ToArray());
        await redis.StringSetAsync($"{Prefix}seq:v3", sequence);

        await StartServiceAsync();

        Assert.Equal(8_500L, await PurseAsync(account));
        Assert.Equal(paidReply, await DebitAsync(paid));
        Assert.Equal((Outcome.Approved, 8_000L), ((await DebitAsync(Debit(account, merchant, 500))).Outcome, await PurseAsync(account)));
        Assert.False(await redis.KeyExistsAsync($"{Prefix}seq:v3"));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_store_in_format_7_is_rebuilt_at_start_and_its_card_index_replaced()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var paid = Debit(account, merchant, 1_500);
        var paidReply = await DebitAsync(paid);
        var redis = LocalServers.Redis.GetDatabase();
        var holderKey = HotProbe.HolderKey(Prefix, account.PersonNo);
        var holder = Domain.Formats.HolderFormat.Read(Domain.Campuses.Default, account.PersonNo, (byte[])(await redis.StringGetAsync(holderKey))!);
        await StopServiceAsync();
        // Format 7 kept the holder and the records fixed (a version byte, then eight bytes a field), the card index as a key
        // per card and the sequences under "seq:v7". This holder's purse is stale and this record another answer, so only a
        // rebuild from the journal gives what is asserted below.
        var keys = new Keys(Prefix);
        var partition = HotProbe.PartitionOf(account.PersonNo);
        var format7Card = $"{Prefix}card:{account.CardNo}";
        var (cardHash, cardField) = keys.Card(account.CardNo);
        await redis.KeyDeleteAsync(keys.StoredFormat);
        await redis.KeyDeleteAsync(keys.Sequence(partition));
        await redis.HashDeleteAsync(cardHash, cardField);
        await redis.StringSetAsync($"{keys.Of(partition)}seq:v7", 1);
        await redis.StringSetAsync(format7Card, account.PersonNo);
        await redis.StringSetAsync(holderKey, Domain.Formats.HolderFormat.Write(holder with { Balances = holder.Balances with { PurseFen = 10_000 } }));
        await redis.StringSetAsync(keys.Record(partition, "c:" + account.CardNo, paid.RequestId),
            new Domain.Formats.Layout("record", 5, [.. Layouts.Record.Fields]).Pack(new long[Layouts.Record.Fields.Count]));

        await StartServiceAsync();

        Assert.Equal(8_500L, await PurseAsync(account));
        Assert.Equal(paidReply, await DebitAsync(paid));
        Assert.Equal((Outcome.Approved, 8_000L), ((await DebitAsync(Debit(account, merchant, 500))).Outcome, await PurseAsync(account)));
        Assert.False(await redis.KeyExistsAsync(format7Card));
        Assert.False(await redis.KeyExistsAsync($"{keys.Of(partition)}seq:v7"));
        Assert.Equal(account.PersonNo, (string?)await redis.HashGetAsync(cardHash, cardField));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task An_outbox_written_by_the_previous_releases_drains_into_the_journal()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        await StopServiceAsync();
        var holderId = await Database.ScalarAsync<long>($"SELECT id FROM holders WHERE person_no = '{account.PersonNo}'");
        var merchantNo = await Database.ScalarAsync<long>($"SELECT no FROM merchants WHERE merchant_id = '{merchant.MerchantId}'");
        var txn = await Database.ScalarAsync<long>("SELECT max(id) FROM transactions");
        var ms = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var day = Domain.BusinessCalendar.ChinaStandardTime.DayNumber(Clock.GetUtcNow());
        // The previous releases' outbox entries: payloads in format 3 (without the lifecycle fields) and 4 (without the
        // reference and the offline time) beside records in format 3 (without the card state) and 4 (without holds and
        // side legs), and format 7's (before the hot state was compact): a fixed record and holder after it.
        byte[] Payload(short kind, string requestId, string cardNo, string personNo, long amount, string terminal, string merchantId, long merchant, short source, string memo,
            byte version = 3)
        {
            using var stream = new MemoryStream();
            using (var w = new BinaryWriter(stream))
            {
                w.Write(version);
                w.Write(kind);
                w.Write(requestId);
                w.Write(cardNo);
                w.Write(personNo);
                w.Write(amount);
                w.Write(terminal);
                w.Write(merchantId);
                w.Write(merchant);
                w.Write("");
                w.Write(source);
                w.Write((short)0);
                w.Write("");
                w.Write(memo);
                w.Write((short)0);
                w.Write((short)5);
                w.Write("old-release");
                if (version == 4)
                {
                    w.Write((short)0);
                    w.Write(false);
                    w.Write(0L);
                    w.Write((short)0);
                }
            }
            return stream.ToArray();
        }
        byte[] Record(int kind, long id, long purse, long moved, long merchant) =>
            new Domain.Formats.Layout("record", 3, "kind", "fp", "outcome", "reason", "txn", "holder", "purse", "wallet", "pending", "effect", "moved", "ts", "merchant", "day", "rv")
                .Pack([kind, 12345, 1, 0, id, holderId, purse, 0, 0, 0, moved, ms, merchant, day, 0]);
        byte[] Record4(int kind, long id, long purse, long moved, long merchant) =>
            new Domain.Formats.Layout("record", 4, "kind", "fp", "outcome", "reason", "txn", "holder", "purse", "wallet", "pending", "effect", "moved", "ts", "merchant", "day", "rv", "state")
                .Pack([kind, 12345, 1, 0, id, holderId, purse, 0, 0, 0, moved, ms, merchant, day, 0, 1]);
        // Format 7's: a fixed record (version 5) followed by the fixed holder after the decision (holder version 6).
        byte[] Record5(int kind, long id, long purse, long moved, Domain.HolderHotState after) =>
            [.. new Domain.Formats.Layout("record", 5, [.. Layouts.Record.Fields])
                .Pack([kind, 12345, 1, 0, id, holderId, purse, 0, 0, 0, moved, ms, 0, day, 0, 1, 0, 0, 0, 0, 5]), .. Domain.Formats.HolderFormat.Write(after)];
        var redis = LocalServers.Redis.GetDatabase();
        var holder = Domain.Formats.HolderFormat.Read(Domain.Campuses.Default, account.PersonNo, (byte[])(await redis.StringGetAsync(HotProbe.HolderKey(Prefix, account.PersonNo)))!);
        var credit = new Domain.ClearingRequest
        {
            Kind = Domain.TransactionKind.Credit, RequestId = "v5-credit", Campus = Domain.Campuses.Default, PersonNo = account.PersonNo, AmountFen = 25, Source = Domain.SystemAccount.Suspense, Memo = "by format 7",
        };
        await LocalServers.DeleteKeysAsync(Prefix);
        await redis.StreamAddAsync($"{Prefix}outbox", [
            new(Payload(1, "old-debit", account.CardNo, "", 700, TerminalIdOf(merchant.MerchantId), merchant.MerchantId, merchantNo, 0, ""), Record(1, txn + 1, 9_300, 700, merchantNo)),
            new(Payload(4, "old-credit", "", account.PersonNo, 50, "", "", 0, 5, "by the old release"), Record(4, txn + 2, 9_350, 50, 0)),
            new(Payload(1, "v4-debit", account.CardNo, "", 200, TerminalIdOf(merchant.MerchantId), merchant.MerchantId, merchantNo, 0, "", version: 4),
                Record4(1, txn + 3, 9_150, 200, merchantNo)),
            new(Payloads.Write(credit), Record5((int)credit.Kind, txn + 4, 9_175, 25, holder with { PinFails = 2 })),
        ]);

        await StartServiceAsync();

        Assert.Equal(9_175L, await PurseAsync(account));
        Assert.Equal($"c:{account.CardNo} p:{account.PersonNo} c:{account.CardNo} p:{account.PersonNo}", await Database.ScalarAsync<string>(
            $"SELECT string_agg(scope, ' ' ORDER BY id) FROM transactions WHERE id IN ({txn + 1}, {txn + 2}, {txn + 3}, {txn + 4})"));
        var retry = await DebitAsync(Debit(account, merchant, 700, "old-debit"));
        Assert.Equal((Outcome.Approved, txn + 1, 9_300L), (retry.Outcome, retry.TransactionId, retry.BalanceFen));
        var creditRetry = await CallAsync(Funding.CreditAsync, new CreditRequest { RequestId = "v5-credit", PersonNo = account.PersonNo, AmountFen = 25, Source = SystemAccount.Suspense, Memo = "by format 7" });
        Assert.Equal((Outcome.Approved, txn + 4, 9_175L), (creditRetry.Outcome, creditRetry.TransactionId, creditRetry.Balances.PurseFen));
        Assert.Equal(2, Domain.Formats.HolderFormat.Read(Domain.Campuses.Default, account.PersonNo, (byte[])(await redis.StringGetAsync(HotProbe.HolderKey(Prefix, account.PersonNo)))!).PinFails);
        await AssertInvariantsAsync();
    }

    [SingleInstanceFact("the sequences it handed out")]
    public async Task A_redis_that_lost_writes_while_serving_is_rebuilt_before_deciding_again()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        await DebitAsync(Debit(account, merchant, 4_000));
        // As after a restart from an append-only file missing its last second: the debit and its id are gone.
        await ChangeHotStateAsync(account, h => h with { Balances = h.Balances with { PurseFen = 10_000 } });
        await LocalServers.Redis.GetDatabase().StringDecrementAsync(HotProbe.SequenceKey(Prefix, account.PersonNo));

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

    [SingleInstanceFact("the sequences it handed out")]
    public async Task A_balance_read_from_a_hot_state_behind_the_journal_is_refused_until_it_is_rebuilt()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        await DebitAsync(Debit(account, merchant, 4_000));
        await ChangeHotStateAsync(account, h => h with { Balances = h.Balances with { PurseFen = 10_000 } });
        await LocalServers.Redis.GetDatabase().StringDecrementAsync(HotProbe.SequenceKey(Prefix, account.PersonNo));

        var refused = await AssertStatusAsync(StatusCode.Unavailable, () => PurseAsync(account));

        Assert.Contains("rebuilt", refused.Status.Detail);
        Assert.Equal(6_000L, await RetryWhileUnavailableAsync(() => PurseAsync(account)));
    }

    [SingleInstanceFact("the holders it saw")]
    public async Task A_holder_missing_from_redis_is_lost_writes_not_an_unknown_card()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var paid = await DebitAsync(Debit(account, merchant, 1_000, "paid"));
        await LocalServers.Redis.GetDatabase().KeyDeleteAsync(HotProbe.HolderKey(Prefix, account.PersonNo));

        var refused = await AssertStatusAsync(StatusCode.Unavailable, () => DebitAsync(Debit(account, merchant, 500)));
        var after = await RetryWhileUnavailableAsync(() => DebitAsync(Debit(account, merchant, 500, "after")));

        Assert.Contains("retry", refused.Status.Detail);
        Assert.Equal((Outcome.Approved, 8_500L), (after.Outcome, after.BalanceFen));
        Assert.Equal(paid, await DebitAsync(Debit(account, merchant, 1_000, "paid")));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_flush_while_serving_is_rebuilt_before_anything_is_decided_or_read()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var paid = await DebitAsync(Debit(account, merchant, 1_000, "paid"));
        await LocalServers.DeleteKeysAsync(Prefix);

        await AssertStatusAsync(StatusCode.Unavailable, () => DebitAsync(Debit(account, merchant, 1_000, "paid")));
        var retry = await RetryWhileUnavailableAsync(() => DebitAsync(Debit(account, merchant, 1_000, "paid")));

        Assert.Equal(paid, retry);
        Assert.Equal(9_000L, await PurseAsync(account));
        await AssertInvariantsAsync();
    }

    /// <summary>A card with 100 yuan on its purse, a merchant with its terminal, and a debit of 10 yuan there, not yet sent.</summary>
    private async Task<(Account Account, Contracts.V1.Merchant Merchant, DebitRequest Debit)> TenYuanDebitAsync()
    {
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        return (account, merchant, Debit(account, merchant, 1_000));
    }
}
