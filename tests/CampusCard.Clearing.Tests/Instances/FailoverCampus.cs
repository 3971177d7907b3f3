using System.Collections.Concurrent;
using System.Diagnostics;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using StackExchange.Redis;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;

namespace CampusCard.Clearing.Tests.Instances;

/// <summary>
/// What <see cref="ClusterFaultTests"/> runs on: an account in each of many partitions, one terminal, a caller per
/// account debiting it again and again (1 s deadline, as a terminal), every debit sent with the answer it got and how
/// long it took; from that, when each partition answered again after a fault and the others' p99 meanwhile.
/// </summary>
public sealed class FailoverCampus
{
    private const long Funded = 1_000_000;
    private const string MerchantId = "FAIL-M";
    private const string TerminalId = "FAIL-T";

    private readonly IReadOnlyList<Account> _accounts;
    private readonly ConcurrentQueue<Sent> _sent = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _callers = [];

    private FailoverCampus(IReadOnlyList<Account> accounts) => _accounts = accounts;

    /// <summary>A debit sent: when it started and ended (<see cref="Stopwatch"/> timestamps), and its answer if it got one.</summary>
    private sealed record Sent(string PersonNo, DebitRequest Request, long Started, long Ended, DebitReply? Reply);

    public IReadOnlyList<Account> Accounts => _accounts;

    public static async Task<FailoverCampus> OpenAsync(GrpcChannel channel, int accounts)
    {
        var cards = new Cards.CardsClient(channel.WithToken(TestCredentials.Token(CallerRole.Office)));
        var funding = new Funding.FundingClient(channel.WithToken(TestCredentials.Token(CallerRole.Office)));
        var opened = new List<Account>();
        for (var i = 0; i < accounts; i++)
        {
            // A cluster restarted by the test before may still be settling: UNAVAILABLE is answered to be sent again.
            var account = await ServiceTestBase.RetryWhileUnavailableAsync(async () => await cards.OpenAccountAsync(new OpenAccountRequest
            {
                PersonNo = $"FAIL-P{i}", Name = "赵六", CardType = CardType.Student, IdNumber = "21020019990101234X",
            }));
            await ServiceTestBase.RetryWhileUnavailableAsync(async () => await funding.CreditAsync(
                new CreditRequest { RequestId = $"fund-{i}", PersonNo = account.PersonNo, AmountFen = Funded, Source = SystemAccount.Suspense }));
            opened.Add(account);
        }
        await cards.OpenMerchantAsync(new OpenMerchantRequest { MerchantId = MerchantId, Name = "一食堂", Category = MerchantCategory.Dining });
        await cards.RegisterTerminalAsync(new RegisterTerminalRequest { TerminalId = TerminalId, MerchantId = MerchantId });
        return new FailoverCampus(opened);
    }

    /// <summary>A caller per account, each debiting 1–5 fen every <paramref name="pause"/>.</summary>
    public void StartCalling(GrpcChannel channel, TimeSpan pause)
    {
        var terminal = new Terminal.TerminalClient(channel.WithToken(TestCredentials.TerminalToken(TerminalId, MerchantId)));
        foreach (var account in _accounts)
            _callers.Add(Task.Run(async () =>
            {
                for (var n = 0; !_stop.IsCancellationRequested; n++)
                {
                    await DebitAsync(terminal, account, n);
                    try { await Task.Delay(pause, _stop.Token); }
                    catch (OperationCanceledException) { }
                }
            }));
    }

    private async Task DebitAsync(Terminal.TerminalClient terminal, Account account, int n)
    {
        var request = new DebitRequest { RequestId = $"{account.PersonNo}-{n}", CardNo = account.CardNo, AmountFen = 1 + n % 5 };
        var started = Stopwatch.GetTimestamp();
        DebitReply? reply = null;
        try { reply = await terminal.DebitAsync(request, deadline: DateTime.UtcNow.AddSeconds(1)); }
        catch (RpcException) { }
        _sent.Enqueue(new Sent(account.PersonNo, request, started, Stopwatch.GetTimestamp(), reply));
    }

    public async Task StopCallingAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers);
    }

    /// <summary>How long after <paramref name="since"/> each of <paramref name="persons"/> first got an answer (null: none yet).</summary>
    public IReadOnlyDictionary<string, TimeSpan?> Resumed(IEnumerable<string> persons, long since) => persons.ToDictionary(p => p, p =>
        _sent.Where(s => s.PersonNo == p && s.Reply is not null && s.Ended >= since).Select(s => (long?)s.Ended).Min() is { } at
            ? Stopwatch.GetElapsedTime(since, at) : (TimeSpan?)null);

    public async Task<IReadOnlyDictionary<string, TimeSpan>> ResumedAsync(IEnumerable<string> persons, long since, TimeSpan atMost)
    {
        var list = persons.ToList();
        while (Resumed(list, since).Values.Any(r => r is null) && Stopwatch.GetElapsedTime(since) < atMost) await Task.Delay(50);
        return Resumed(list, since).ToDictionary(r => r.Key, r => r.Value ?? atMost);
    }

    /// <summary>The 99th percentile of the answered debits of <paramref name="persons"/> that started in [from, to).</summary>
    public TimeSpan P99(IEnumerable<string> persons, long from, long to)
    {
        var set = persons.ToHashSet();
        var latencies = _sent.Where(s => set.Contains(s.PersonNo) && s.Reply is not null && s.Started >= from && s.Started < to)
            .Select(s => s.Ended - s.Started).Order().ToList();
        return latencies.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))]);
    }

    public int Count => _sent.Count;

    /// <summary>Every debit sent, sent again: nothing answered was lost or doubled (<see cref="SentDebits"/>).</summary>
    public Task AssertNothingAnsweredLostOrDoubledAsync(GrpcChannel channel, ScratchDatabase database, IDatabase redis, string prefix)
    {
        var terminal = new Terminal.TerminalClient(channel.WithToken(TestCredentials.TerminalToken(TerminalId, MerchantId)));
        return SentDebits.AssertNothingAnsweredLostOrDoubledAsync([.. _sent.Select(s => (terminal, s.Request, s.Reply))], _accounts.Count * Funded, database, redis, prefix);
    }
}
