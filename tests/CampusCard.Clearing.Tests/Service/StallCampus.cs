using System.Collections.Concurrent;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// What <see cref="StallTests"/> runs on: funded accounts, merchants with a terminal each, and newcomer terminals, each
/// of which calls once, so the service reads its registration while the database may be stalled; the callers of every
/// kind that keep the service busy; and the debits they sent, with the answers they got.
/// </summary>
public sealed class StallCampus
{
    private const long Funded = 1_000_000;
    private const int Merchants = 3;
    private const int Newcomers = 200;

    private readonly IReadOnlyList<Account> _accounts;
    private readonly ConcurrentQueue<(string MerchantId, DebitRequest Request, DebitReply? Reply)> _debits = new();
    private int _newcomer;

    private StallCampus(IReadOnlyList<Account> accounts) => _accounts = accounts;

    private static string MerchantId(int i) => $"STALL-M{i}";

    private static string TerminalId(int i) => $"STALL-T{i}";

    private static string NewcomerId(int i) => $"STALL-N{i}";

    /// <summary>Opens and funds the accounts, opens the merchants and registers every terminal, through the card office's calls.</summary>
    public static async Task<StallCampus> OpenAsync(GrpcChannel channel)
    {
        var cards = new Cards.CardsClient(channel.WithToken(TestCredentials.Token(CallerRole.Office)));
        var funding = new Funding.FundingClient(channel.WithToken(TestCredentials.Token(CallerRole.Office)));
        var accounts = new List<Account>();
        for (var i = 0; i < 6; i++)
        {
            var account = await cards.OpenAccountAsync(new OpenAccountRequest
            {
                PersonNo = $"STALL-P{i}", Name = "王五", CardType = CardType.Student, IdNumber = "21020019990101234X",
            });
            await funding.CreditAsync(new CreditRequest { RequestId = $"fund-{i}", PersonNo = account.PersonNo, AmountFen = Funded, Source = SystemAccount.Suspense });
            accounts.Add(account);
        }
        for (var i = 0; i < Merchants; i++)
        {
            await cards.OpenMerchantAsync(new OpenMerchantRequest { MerchantId = MerchantId(i), Name = "三食堂", Category = MerchantCategory.Dining });
            await cards.RegisterTerminalAsync(new RegisterTerminalRequest { TerminalId = TerminalId(i), MerchantId = MerchantId(i) });
        }
        for (var i = 0; i < Newcomers; i++)
            await cards.RegisterTerminalAsync(new RegisterTerminalRequest { TerminalId = NewcomerId(i), MerchantId = MerchantId(0) });
        return new StallCampus(accounts);
    }

    /// <summary>
    /// Health; a terminal debiting per merchant; balances, accounts and statements as kiosks and the card office read them;
    /// a newcomer terminal's first call. Every call has a 1 s deadline.
    /// </summary>
    public CallerLoad Load(GrpcChannel channel)
    {
        var load = new CallerLoad();
        var health = new Health.HealthClient(channel);
        load.Add("health", async deadline =>
            (await health.CheckAsync(new HealthCheckRequest(), deadline: deadline)).Status == HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromMilliseconds(50));
        for (var m = 0; m < Merchants; m++)
        {
            var merchantId = MerchantId(m);
            var terminal = new Terminal.TerminalClient(channel.WithToken(TestCredentials.TerminalToken(TerminalId(m), merchantId)));
            var sent = 0;
            load.Add($"debit {merchantId}", deadline => DebitAsync(terminal, merchantId, ++sent, deadline), TimeSpan.FromMilliseconds(20));
        }
        var kiosk = new Terminal.TerminalClient(channel.WithToken(TestCredentials.Token(CallerRole.Kiosk)));
        load.Add("balance", async deadline =>
            (await kiosk.GetBalanceAsync(new GetBalanceRequest { CardNo = Any().CardNo }, deadline: deadline)).BalanceFen > 0, TimeSpan.FromMilliseconds(50));
        var office = new Cards.CardsClient(channel.WithToken(TestCredentials.Token(CallerRole.Office)));
        load.Add("account", async deadline =>
            (await office.GetAccountAsync(new GetAccountRequest { PersonNo = Any().PersonNo }, deadline: deadline)).PersonNo.Length > 0, TimeSpan.FromMilliseconds(50));
        var statements = new Statements.StatementsClient(channel.WithToken(TestCredentials.Token(CallerRole.Kiosk)));
        load.Add("statement", async deadline =>
            (await statements.GetStatementAsync(new GetStatementRequest { PersonNo = Any().PersonNo, PageSize = 5 }, deadline: deadline)).PersonNo.Length > 0,
            TimeSpan.FromMilliseconds(100));
        load.Add("newcomer terminal", async deadline =>
        {
            var newcomer = new Terminal.TerminalClient(channel.WithToken(TestCredentials.TerminalToken(NewcomerId(Interlocked.Increment(ref _newcomer) % Newcomers), MerchantId(0))));
            return (await newcomer.GetBalanceAsync(new GetBalanceRequest { CardNo = Any().CardNo }, deadline: deadline)).BalanceFen > 0;
        }, TimeSpan.FromMilliseconds(150));
        return load;
    }

    private Account Any() => _accounts[Random.Shared.Next(_accounts.Count)];

    private async Task<bool> DebitAsync(Terminal.TerminalClient terminal, string merchantId, int sequence, DateTime deadline)
    {
        var request = new DebitRequest { RequestId = $"{merchantId}-{sequence}", CardNo = Any().CardNo, AmountFen = 1 + sequence % 5 };
        try
        {
            var reply = await terminal.DebitAsync(request, deadline: deadline);
            _debits.Enqueue((merchantId, request, reply));
            return reply.Outcome == Outcome.Approved;
        }
        catch (RpcException)
        {
            _debits.Enqueue((merchantId, request, null));
            throw;
        }
    }

    /// <summary>
    /// Every debit sent, sent again: an answered one gets its first answer, an unanswered one is decided now; the journal
    /// holds each once, the purses lost exactly what the approved ones took, and the invariants hold.
    /// </summary>
    public async Task AssertNothingAnsweredLostOrDoubledAsync(GrpcChannel channel, ScratchDatabase database, ConnectionMultiplexer redis, string prefix)
    {
        var hot = new RedisHotStore(redis, Options.Create(new HotStoreOptions { KeyPrefix = prefix, IdempotencyWindow = TimeSpan.FromDays(7) }));
        for (var i = 0; i < 100 && (await hot.OutboxAsync(TimeSpan.Zero)).Count > 0; i++) await Task.Delay(50);
        var terminals = _debits.Select(d => d.MerchantId).Distinct().ToDictionary(m => m,
            m => new Terminal.TerminalClient(channel.WithToken(TestCredentials.TerminalToken(TerminalId(int.Parse(m[^1..])), m))));
        await SentDebits.AssertNothingAnsweredLostOrDoubledAsync([.. _debits.Select(d => (terminals[d.MerchantId], d.Request, d.Reply))],
            _accounts.Count * Funded, database, redis.GetDatabase(), prefix);
    }
}
