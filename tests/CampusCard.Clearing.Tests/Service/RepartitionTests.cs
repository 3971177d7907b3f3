using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.HotStore.Internal;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using StackExchange.Redis;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;
using Partitioning = CampusCard.Clearing.Domain.Partitioning;
using RequestScope = CampusCard.Clearing.Domain.RequestScope;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// Issue 25: changing the number of partitions is an operation, the host's repartition command, run as an operator runs
/// it (the host's binary, in a process of its own) on the servers the service uses: it journals what the old partitions'
/// outboxes hold, rebuilds every partition from the journal under the new count, and refuses while the hot state is in
/// use; a start with another count than the stored one refuses and names the command.
/// The suite runs in the cluster pass too: the command finds keys and marks on every master.
/// </summary>
[Trait("Suite", "Cluster")]
public class RepartitionTests
{
    private const string Merchant = "REP-M1";
    private const string TerminalId = "REP-T1";
    private const int People = 24;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_campus_under_4_partitions_repartitioned_to_16_keeps_every_balance_answer_and_hold_and_takes_new_debits()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = Settings(database, partitions: 4);
        var (campus, stuck) = await CampusWithStuckDebitAsync(database, settings);

        settings["HotStore__Partitions"] = "16";
        var run = await HostProcess.RunToExitAsync(settings, CommandTimeout, "repartition");

        Assert.True(run.ExitCode == 0, run.ToString());
        var prefix = settings["HotStore__KeyPrefix"];
        Assert.Equal($"repartitioned the hot state under '{prefix}' from 4 to 16 partitions: built {People} holders and {campus.Decided + 1} recent transactions from the journal",
            Assert.Single(run.OutLines));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE request_id = 'stuck-1'"));
        var redis = LocalServers.Redis.GetDatabase();
        Assert.Equal("16", (string?)await redis.StringGetAsync(prefix + "partitions"));
        await AssertLaidOutUnder16Async(redis, prefix, campus);
        await Invariants.AssertHoldAsync(database, prefix);

        var after = await AssertServesAsBeforeAsync(database, settings, campus, stuck);
        Assert.Contains("The hot state was repartitioned from 4 to 16 partitions at ", after.Out);
        Assert.DoesNotContain("rebuilding it from the journal", after.Out);
    }

    [Fact]
    public async Task A_repartition_killed_half_way_leaves_nothing_to_decide_on_and_the_next_run_finishes_it()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = Settings(database, partitions: 4);
        var prefix = settings["HotStore__KeyPrefix"];
        var (campus, stuck) = await CampusWithStuckDebitAsync(database, settings);
        var sixteen = new Dictionary<string, string>(settings) { ["HotStore__Partitions"] = "16" };
        var redis = LocalServers.Redis.GetDatabase();

        // Killed before the count is stored: the old partitions closed, their outbox not journaled (the journal refuses).
        await database.RefuseJournalWritesAsync(true);
        await using (var first = HostProcess.Start(sixteen, "repartition"))
            await first.KillWhenAsync(async () => !await AnySequenceAsync(redis, prefix, 4));
        await database.RefuseJournalWritesAsync(false);

        Assert.Equal("4", (string?)await redis.StringGetAsync(prefix + "partitions"));
        Assert.NotEmpty(await LocalServers.HotStore(prefix, 4).OutboxAsync(TimeSpan.Zero));
        var meanwhile = await HostProcess.RunToExitAsync(settings, CommandTimeout);
        Assert.True(meanwhile.ExitCode == 3, meanwhile.ToString());
        Assert.Contains($"The service does not run on this hot store: a repartition of the hot state under '{prefix}' is under way (from 4 to 16 partitions", meanwhile.Out);
        await LapseHoldAsync(redis, prefix);

        // Killed after the count is stored, while it builds the partitions from the journal (held up on the journal's cards).
        await using (var journalHeld = await database.DataSource.OpenConnectionAsync())
        await using (var holding = await journalHeld.BeginTransactionAsync())
        {
            await using (var hold = new Npgsql.NpgsqlCommand("LOCK TABLE cards IN ACCESS EXCLUSIVE MODE", journalHeld, holding)) await hold.ExecuteNonQueryAsync();
            await using var second = HostProcess.Start(sixteen, "repartition");
            await second.KillWhenAsync(async () => (string?)await redis.StringGetAsync(prefix + "partitions") == "16");
        }

        Assert.False(await AnySequenceAsync(redis, prefix, 16), "a partition decides on a half-built hot state");
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE request_id = 'stuck-1'"));
        await LapseHoldAsync(redis, prefix);
        var old = await HostProcess.RunToExitAsync(settings, CommandTimeout);
        Assert.True(old.ExitCode == 3, old.ToString());
        Assert.Contains($"the hot state under '{prefix}' has 16 partitions, not the 4 of HotStore:Partitions", old.Out);

        var run = await HostProcess.RunToExitAsync(sixteen, CommandTimeout, "repartition");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"finished the repartition of the hot state under '{prefix}' to 16 partitions, which had stopped half-way: built 16 partitions, {People} holders and {campus.Decided + 1} recent transactions from the journal",
            Assert.Single(run.OutLines));
        await AssertLaidOutUnder16Async(redis, prefix, campus);
        await AssertServesAsBeforeAsync(database, sixteen, campus, stuck);
    }

    [Fact]
    public async Task The_command_refuses_while_a_service_instance_runs_and_changes_nothing_and_runs_once_it_stopped()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = Settings(database, partitions: 16);
        var prefix = settings["HotStore__KeyPrefix"];
        var repartition = new Dictionary<string, string>(settings) { ["HotStore__Partitions"] = "4" };
        var redis = LocalServers.Redis.GetDatabase();
        await using (var service = HostProcess.Start(settings))
        {
            using var channel = await ServingAsync(service, settings);
            var campus = await Campus.OpenAsync(channel, people: 2);

            var refused = await HostProcess.RunToExitAsync(repartition, CommandTimeout, "repartition");

            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.StartsWith($"repartition refused: the hot state under '{prefix}' is in use by 1 service instance(s) (", Assert.Single(refused.ErrorLines));
            Assert.EndsWith("; nothing was changed", refused.ErrorLines[0]);
            Assert.Equal("16", (string?)await redis.StringGetAsync(prefix + "partitions"));
            await campus.AssertNewDebitsApprovedAsync(channel);
            await service.StopAsync();
        }

        var done = await HostProcess.RunToExitAsync(repartition, CommandTimeout, "repartition");

        Assert.True(done.ExitCode == 0, done.ToString());
        Assert.StartsWith($"repartitioned the hot state under '{prefix}' from 16 to 4 partitions: built 2 holders", Assert.Single(done.OutLines));
        Assert.Equal("4", (string?)await redis.StringGetAsync(prefix + "partitions"));
        var partitionKeys = LocalServers.Keys(prefix + "{*").Select(k => k.ToString()).ToList();
        Assert.NotEmpty(partitionKeys);
        Assert.All(partitionKeys, key => Assert.True(int.Parse(key[(prefix.Length + 1)..key.IndexOf('}', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) < 4, key));
    }

    [Fact]
    public async Task The_command_refuses_while_another_repartition_holds_the_hot_state_and_a_start_refuses_meanwhile()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = Settings(database, partitions: 4);
        var prefix = settings["HotStore__KeyPrefix"];
        var redis = LocalServers.Redis.GetDatabase();
        await using (var first = HostProcess.Start(settings))
        {
            await ServingAsync(first, settings);
            await first.StopAsync();
        }
        await redis.StringSetAsync(prefix + "repartitioning", "0123 from 4 to 8 partitions, on elsewhere pid 42 since 2026-09-01T12:00:00+08:00", TimeSpan.FromSeconds(60));

        var command = await HostProcess.RunToExitAsync(new Dictionary<string, string>(settings) { ["HotStore__Partitions"] = "16" }, CommandTimeout, "repartition");
        var start = await HostProcess.RunToExitAsync(settings, CommandTimeout);

        Assert.True(command.ExitCode == 1, command.ToString());
        Assert.Equal($"repartition refused: another repartition of the hot state under '{prefix}' is under way (from 4 to 8 partitions, on elsewhere pid 42 since 2026-09-01T12:00:00+08:00); nothing was changed",
            Assert.Single(command.ErrorLines));
        Assert.True(start.ExitCode == 3, start.ToString());
        Assert.Contains($"The service does not run on this hot store: a repartition of the hot state under '{prefix}' is under way (from 4 to 8 partitions, on elsewhere pid 42", start.Out);
        Assert.DoesNotContain("Clearing engine is Ready", start.Out);
        Assert.Empty(LocalServers.Keys(prefix + "instance:*"));
    }

    [Fact]
    public async Task A_start_with_another_count_than_the_stored_one_refuses_and_names_the_command()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = Settings(database, partitions: 4);
        await using (var first = HostProcess.Start(settings))
        {
            await ServingAsync(first, settings);
            await first.StopAsync();
        }

        var run = await HostProcess.RunToExitAsync(new Dictionary<string, string>(settings) { ["HotStore__Partitions"] = "16" }, CommandTimeout);

        Assert.True(run.ExitCode == 3, run.ToString());
        var refusal = Assert.Single(run.OutLines, line => line.Contains("The service does not run on this hot store", StringComparison.Ordinal));
        Assert.EndsWith($"The service does not run on this hot store: the hot state under '{settings["HotStore__KeyPrefix"]}' has 4 partitions, not the 16 of HotStore:Partitions: "
            + "with every instance stopped, run the host's repartition command (dotnet CampusCard.Clearing.Host.dll repartition; docs/operations.md), or set HotStore__Partitions=4", refusal);
        Assert.Single(run.OutLines, line => line.StartsWith("crit:", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal));
        Assert.DoesNotContain("Clearing engine is Ready", run.Out);
    }

    [Fact]
    public async Task An_instance_that_was_cut_off_while_the_hot_state_was_repartitioned_stops_when_it_finds_out()
    {
        await using var database = await ScratchDatabase.CreateAsync(migrate: false);
        var settings = Settings(database, partitions: 4);
        var prefix = settings["HotStore__KeyPrefix"];
        await using var service = HostProcess.Start(settings);
        await ServingAsync(service, settings);

        // What an instance cut off from Redis for longer than its mark lasts finds: its mark lapsed, and another count stored.
        var redis = LocalServers.Redis.GetDatabase();
        await redis.StringSetAsync(prefix + "partitions", 16);
        foreach (var mark in LocalServers.Keys(prefix + "instance:*")) await redis.KeyDeleteAsync(mark);
        var run = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"The service does not run on this hot store: the hot state under '{prefix}' has 16 partitions, not the 4 of HotStore:Partitions", run.Out);
    }

    /// <summary>
    /// A campus under <paramref name="settings"/>, and a debit decided but never journaled (the journal refused it until the
    /// service stopped), which stays in its partition's outbox.
    /// </summary>
    private static async Task<(Campus Campus, DebitRequest Stuck)> CampusWithStuckDebitAsync(ScratchDatabase database, Dictionary<string, string> settings)
    {
        var shortWaits = new Dictionary<string, string>(settings) { ["Engine__ShutdownGrace"] = "00:00:00.2", ["Engine__JournalRetryMax"] = "00:00:00.1" };
        await using var before = HostProcess.Start(shortWaits);
        using var channel = await ServingAsync(before, shortWaits);
        var campus = await Campus.OpenAsync(channel);
        await database.RefuseJournalWritesAsync(true);
        var stuck = campus.Debit(3, 1_000, "stuck-1");
        var unanswered = await Assert.ThrowsAsync<RpcException>(() => campus.Terminal(channel).DebitAsync(stuck, deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, unanswered.StatusCode);
        await before.StopAsync();
        await database.RefuseJournalWritesAsync(false);
        Assert.NotEmpty(await LocalServers.HotStore(settings["HotStore__KeyPrefix"], int.Parse(settings["HotStore__Partitions"], System.Globalization.CultureInfo.InvariantCulture)).OutboxAsync(TimeSpan.Zero));
        return (campus, stuck);
    }

    /// <summary>
    /// A service started under <paramref name="settings"/> gives every earlier request its first answer (the stuck debit's
    /// too, journaled by the repartition), settles the open hold and approves new debits; the journal's invariants hold
    /// after its graceful stop (every batch it decided is journaled). What the service wrote.
    /// </summary>
    private static async Task<ProcessRun> AssertServesAsBeforeAsync(ScratchDatabase database, Dictionary<string, string> settings, Campus campus, DebitRequest stuck)
    {
        ProcessRun after;
        await using (var service = HostProcess.Start(settings))
        {
            using var channel = await ServingAsync(service, settings);
            await campus.AssertAnsweredAsBeforeAsync(channel);
            var retry = await campus.Terminal(channel).DebitAsync(stuck);
            Assert.Equal((Outcome.Approved, Campus.Funded(3) - Campus.FirstDebit - 1_000), (retry.Outcome, retry.BalanceFen));
            await campus.SettleHoldAsync(channel, 1_500);
            await campus.AssertNewDebitsApprovedAsync(channel);
            after = await service.StopAsync();
        }
        await Invariants.AssertHoldAsync(database, settings["HotStore__KeyPrefix"]);
        return after;
    }

    /// <summary>Whether any of <paramref name="count"/> partitions has its sequence (without it a partition decides nothing).</summary>
    private static async Task<bool> AnySequenceAsync(IDatabase redis, string prefix, int count)
    {
        var keys = new Keys(prefix);
        var found = await Task.WhenAll(new Partitioning(count).All.Select(p => redis.KeyExistsAsync(keys.Sequence(p))));
        return found.Any(f => f);
    }

    /// <summary>A killed command's hold on the hot state lapses within its lifetime; the test lets it lapse now.</summary>
    private static async Task LapseHoldAsync(IDatabase redis, string prefix)
    {
        var left = await redis.KeyTimeToLiveAsync(prefix + "repartitioning");
        Assert.True(left is { } ttl && ttl > TimeSpan.Zero && ttl <= TimeSpan.FromSeconds(30), $"the killed command's hold lasts {left}");
        await redis.KeyDeleteAsync(prefix + "repartitioning");
    }

    private static Dictionary<string, string> Settings(ScratchDatabase database, int partitions)
    {
        var settings = HostProcess.GoodSettings(database.ConnectionString);
        settings["HotStore__Partitions"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private static async Task<GrpcChannel> ServingAsync(HostProcess host, Dictionary<string, string> settings)
    {
        var address = "http://" + settings["Listen__Address"];
        await host.WaitUntilServingAsync(address);
        return GrpcChannel.ForAddress(address);
    }

    /// <summary>Every holder and its records under its partition of 16; nothing left where 4 partitions kept it.</summary>
    private static async Task AssertLaidOutUnder16Async(IDatabase redis, string prefix, Campus campus)
    {
        var keys = new Keys(prefix);
        var (four, sixteen) = (new Partitioning(4), new Partitioning(16));
        foreach (var (account, requestId, _) in campus.Debits)
        {
            var tag = "p:" + account.PersonNo;
            Assert.True(await redis.KeyExistsAsync(keys.Record(sixteen.Of(tag), RequestScope.OfCard(account.CardNo), requestId)), $"{requestId}'s record");
            if (four.Of(tag) != sixteen.Of(tag)) Assert.False(await redis.KeyExistsAsync(keys.Holder(four.Of(tag), tag)), $"{account.PersonNo} under 4 partitions");
        }
    }

    /// <summary>
    /// Accounts funded by the card office, a merchant with its terminal, a debit on each account, a reversal of one, a frozen
    /// card, and a hold left open; with the answers they got.
    /// </summary>
    private sealed class Campus
    {
        public const long FirstDebit = 100;
        private const long Held = 2_000;
        private readonly List<(Account Account, string RequestId, DebitReply Reply)> _debits = [];
        private readonly List<Account> _accounts = [];
        private ReverseReply _reversal = null!;
        private HoldReply _hold = null!;

        public IReadOnlyList<(Account Account, string RequestId, DebitReply Reply)> Debits => _debits;

        /// <summary>How many transactions it decided (each account's opening, credit and debit, the reversal, the freeze, the hold).</summary>
        public int Decided => 3 * _accounts.Count + 3;

        public static long Funded(int i) => 10_000 + i;

        public static async Task<Campus> OpenAsync(GrpcChannel channel, int people = People)
        {
            var campus = new Campus();
            var office = channel.WithToken(TestCredentials.Token(CallerRole.Office));
            var cards = new Cards.CardsClient(office);
            await cards.OpenMerchantAsync(new OpenMerchantRequest { MerchantId = Merchant, Name = "一食堂", Category = MerchantCategory.Dining });
            await cards.RegisterTerminalAsync(new RegisterTerminalRequest { TerminalId = TerminalId, MerchantId = Merchant });
            for (var i = 0; i < people; i++)
            {
                var account = await cards.OpenAccountAsync(new OpenAccountRequest
                {
                    PersonNo = $"REP-P{i:D3}", Name = "赵六", CardType = CardType.Student, IdNumber = "21020019990101234X",
                });
                await new Funding.FundingClient(office).CreditAsync(new CreditRequest
                {
                    RequestId = $"fund-{i}", PersonNo = account.PersonNo, AmountFen = Funded(i), Source = SystemAccount.Suspense,
                });
                campus._accounts.Add(account);
            }
            for (var i = 0; i < people; i++)
            {
                var request = campus.Debit(i, FirstDebit, $"d-{i}");
                var reply = await campus.Terminal(channel).DebitAsync(request);
                Assert.Equal(Outcome.Approved, reply.Outcome);
                campus._debits.Add((campus._accounts[i], request.RequestId, reply));
            }
            if (people < 3) return campus;
            campus._reversal = await campus.Terminal(channel).ReverseAsync(new ReverseRequest { RequestId = "rev-1", OriginalRequestId = "d-1", CardNo = campus._accounts[1].CardNo });
            Assert.Equal(Outcome.Approved, campus._reversal.Outcome);
            await cards.FreezeAsync(new FreezeRequest { RequestId = "freeze-2", PersonNo = campus._accounts[2].PersonNo, Reason = FreezeReason.Admin });
            campus._hold = await campus.Terminal(channel).HoldAsync(new HoldRequest { RequestId = "hold-0", CardNo = campus._accounts[0].CardNo, MaxFen = Held, TtlSeconds = 3600 });
            Assert.Equal(Outcome.Approved, campus._hold.Outcome);
            return campus;
        }

        public Terminal.TerminalClient Terminal(GrpcChannel channel) => new(channel.WithToken(TestCredentials.TerminalToken(TerminalId, Merchant)));

        public DebitRequest Debit(int account, long amountFen, string requestId) =>
            new() { RequestId = requestId, CardNo = _accounts[account].CardNo, MerchantId = Merchant, TerminalId = TerminalId, AmountFen = amountFen };

        /// <summary>Every debit, the reversal and the hold sent again get their first answers.</summary>
        public async Task AssertAnsweredAsBeforeAsync(GrpcChannel channel)
        {
            var terminal = Terminal(channel);
            for (var i = 0; i < _debits.Count; i++) Assert.Equal(_debits[i].Reply, await terminal.DebitAsync(Debit(i, FirstDebit, _debits[i].RequestId)));
            Assert.Equal(_reversal, await terminal.ReverseAsync(new ReverseRequest { RequestId = "rev-1", OriginalRequestId = "d-1", CardNo = _accounts[1].CardNo }));
            Assert.Equal(_hold, await terminal.HoldAsync(new HoldRequest { RequestId = "hold-0", CardNo = _accounts[0].CardNo, MaxFen = Held, TtlSeconds = 3600 }));
        }

        /// <summary>The hold left open is settled for <paramref name="amountFen"/>: the rest goes back to the purse.</summary>
        public async Task SettleHoldAsync(GrpcChannel channel, long amountFen)
        {
            var settled = await Terminal(channel).SettleHoldAsync(new SettleHoldRequest { RequestId = "settle-0", HoldRequestId = "hold-0", CardNo = _accounts[0].CardNo, AmountFen = amountFen });
            Assert.Equal((Outcome.Approved, amountFen, Held - amountFen, 0L), (settled.Outcome, settled.AmountFen, settled.ReleasedFen, settled.Balances.HeldFen));
            Assert.Equal(Funded(0) - FirstDebit - amountFen, settled.Balances.PurseFen);
        }

        /// <summary>A new debit on each usable card is approved, from the balance its earlier debits left.</summary>
        public async Task AssertNewDebitsApprovedAsync(GrpcChannel channel)
        {
            var terminal = Terminal(channel);
            for (var i = 0; i < _accounts.Count; i++)
            {
                if (i == 2 && _accounts.Count > 2) continue;
                var before = (await terminal.GetBalanceAsync(new GetBalanceRequest { CardNo = _accounts[i].CardNo })).BalanceFen;
                var reply = await terminal.DebitAsync(Debit(i, 7, $"new-{i}-{Guid.NewGuid():N}"[..24]));
                Assert.Equal((Outcome.Approved, before - 7), (reply.Outcome, reply.BalanceFen));
            }
        }
    }
}
