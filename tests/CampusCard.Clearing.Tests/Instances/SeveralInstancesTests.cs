using System.Diagnostics;
using CampusCard.Clearing.Contracts.V1;
using TransactionIds = CampusCard.Clearing.Domain.TransactionIds;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace CampusCard.Clearing.Tests.Instances;

/// <summary>
/// Two instances on one hot store and journal, each called directly: a retry at the other, the outbox of one that
/// stopped, and decisions one instance made on state Redis lost under the other (docs/scaling.md).
/// </summary>
[Trait("Suite", "Cluster")]
public class SeveralInstancesTests(ITestOutputHelper output) : ServiceTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Engine:OutboxSweepAge", "00:00:01"), new("Engine:ShutdownGrace", "00:00:00.2"),
        new("Engine:CardStatusInterval", "00:00:00.02")];

    /// <summary>A second instance whose journal writes wait at a gate the test holds.</summary>
    private async Task<(InProcessService Instance, GatedJournal Journal)> StartGatedInstanceAsync()
    {
        GatedJournal? gated = null;
        var instance = await StartAnotherInstanceAsync(services => services.AddSingleton<Domain.Ports.IJournal>(provider =>
            gated = new GatedJournal(new PostgresJournal(provider.GetRequiredService<NpgsqlDataSource>(), NullLogger<PostgresJournal>.Instance))));
        return (instance, gated!);
    }

    [Fact]
    public async Task A_retry_sent_to_the_other_instance_gets_the_first_answer()
    {
        var other = await StartAnotherInstanceAsync(_ => { });
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 1_200);

        var first = await CallAsync(TerminalOn(Service, merchant.MerchantId).DebitAsync, debit);
        var retry = await CallAsync(TerminalOn(other, merchant.MerchantId).DebitAsync, debit);

        Assert.Equal(first, retry);
        Assert.Equal(8_800L, await PurseAsync(account));
    }

    [Fact]
    public async Task What_a_stopped_instance_left_in_its_outbox_is_journaled_by_the_other_and_its_callers_retries_get_it()
    {
        var (stopping, gate) = await StartGatedInstanceAsync();
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 2_500);
        gate.Close();

        var cut = CallAsync(TerminalOn(stopping, merchant.MerchantId).DebitAsync, debit);
        await gate.UntilWaitingAsync(1);
        var stopped = Stopwatch.StartNew();
        await StopAnotherInstanceAsync(stopping);
        await Assert.ThrowsAsync<RpcException>(() => cut);
        while (await Database.ScalarAsync<long>($"SELECT count(*) FROM transactions WHERE request_id = '{debit.RequestId}'") == 0)
        {
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(30), "the other instance did not journal the stopped one's outbox");
            await Task.Delay(20);
        }
        output.WriteLine($"journaled by the other instance {stopped.ElapsedMilliseconds} ms after the stop (sweep age 1 s, interval 0.1 s)");
        var retry = await DebitAsync(debit);

        Assert.Equal((Outcome.Approved, 7_500L), (retry.Outcome, retry.BalanceFen));
        Assert.Equal(retry.TransactionId, await Database.ScalarAsync<long>($"SELECT id FROM transactions WHERE request_id = '{debit.RequestId}'"));
        await AssertInvariantsAsync();
    }

    /// <summary>
    /// Redis loses a debit the first instance journaled and answered (as a failover loses what was not replicated). The
    /// second decides two debits after it: the first reuses the lost transaction id (the journal refuses it), the second,
    /// waiting behind it for the journal, spends the lost money again: it must be dropped, not journaled.
    /// </summary>
    [Fact]
    public async Task Decisions_waiting_for_the_journal_in_a_partition_found_to_have_lost_writes_are_dropped()
    {
        var (second, gate) = await StartGatedInstanceAsync();
        var account = await OpenFundedAccountAsync(10_000);
        var merchant = await OpenMerchantAsync();
        var redis = LocalServers.Redis.GetDatabase();
        var holderKey = HotProbe.HolderKey(Prefix, account.PersonNo);
        var sequenceKey = HotProbe.SequenceKey(Prefix, account.PersonNo);
        var (holder, sequence) = (await redis.KeyDumpAsync(holderKey), await redis.KeyDumpAsync(sequenceKey));
        var lost = await CallAsync(TerminalOn(Service, merchant.MerchantId).DebitAsync, Debit(account, merchant, 4_000, "lost"));
        foreach (var (key, dump) in new[] { (holderKey, holder), (sequenceKey, sequence) })
            await redis.ExecuteAsync("RESTORE", key, 0, dump!, "REPLACE");
        foreach (var key in LocalServers.Keys(Prefix + "*r:*|lost")) await redis.KeyDeleteAsync(key);
        gate.Close();

        var terminal = TerminalOn(second, merchant.MerchantId);
        var reusing = CallAsync(terminal.DebitAsync, Debit(account, merchant, 500, "reuses-the-lost-id"));
        await gate.UntilWaitingAsync(1);
        var spending = CallAsync(terminal.DebitAsync, Debit(account, merchant, 7_000, "spends-the-lost-money"));
        await UntilSequenceAsync(sequenceKey, TransactionIds.SequenceOf(lost.TransactionId) + 1);
        gate.Open();

        await AssertStatusAsync(StatusCode.Unavailable, () => reusing);
        await AssertStatusAsync(StatusCode.Unavailable, () => spending);
        var retried = await RetryWhileUnavailableAsync(() => CallAsync(terminal.DebitAsync, Debit(account, merchant, 7_000, "spends-the-lost-money")));
        Assert.Equal((Outcome.Declined, DeclineReason.InsufficientFunds, 6_000L), (retried.Outcome, retried.DeclineReason, retried.BalanceFen));
        Assert.Equal(lost, await RetryWhileUnavailableAsync(() => DebitAsync(Debit(account, merchant, 4_000, "lost"))));
        await AssertInvariantsAsync();
    }

    private static async Task UntilSequenceAsync(string key, long sequence)
    {
        var redis = LocalServers.Redis.GetDatabase();
        for (var i = 0; i < 500 && (long?)await redis.StringGetAsync(key) != sequence; i++) await Task.Delay(10);
        Assert.Equal(sequence, (long?)await redis.StringGetAsync(key));
    }

    [Fact]
    public async Task A_card_change_decided_on_one_instance_reaches_a_watcher_on_the_other()
    {
        var other = await StartAnotherInstanceAsync(_ => { });
        var merchant = await OpenMerchantAsync();
        var account = await OpenFundedAccountAsync(5_000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = TerminalOn(other, merchant.MerchantId).WatchCardStatus(new WatchCardStatusRequest(), cancellationToken: cancel.Token);

        await CallAsync(new Cards.CardsClient(Service.Channel.WithToken(TestCredentials.Token(CallerRole.Office))).ReportLossAsync,
            new ReportLossRequest { RequestId = NextId(), PersonNo = account.PersonNo });

        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal((account.CardNo, CardState.Lost), (watch.ResponseStream.Current.CardNo, watch.ResponseStream.Current.State));
    }
}
