using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Outcome = CampusCard.Clearing.Contracts.V1.Outcome;

namespace CampusCard.Clearing.Tests.Model;

/// <summary>
/// Random sequences of credits, top-ups, debits with and without the PIN over the limits, transfers, reversals,
/// retries and the card office's changes (loss, freeze, replacement, closing), run against the real service and
/// checked step by step against <see cref="PurseModel"/>, then against the invariants in Redis and the journal
/// (7 and 9 among them). A second property sends each scenario all at once.
/// </summary>
public class ModelBasedTests : ServiceTestBase
{
    private static readonly ModelRules Rules = new(SingleLimitFen: 4_000, DailyLimitFen: 12_000, PinAttempts: 3, ReplacementFeeFen: 2_000, ReplacementMinimumFen: 2_000);

    private Contracts.V1.Merchant[] _merchants = [];
    private string[] _cards = [];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Cards:Student:SingleLimitFen", Rules.SingleLimitFen.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Cards:Student:DailyLimitFen", Rules.DailyLimitFen.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Cards:PinAttempts", Rules.PinAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _merchants = [await OpenMerchantAsync(), await OpenMerchantAsync()];
    }

    [Fact]
    public void Sequences_of_requests_agree_with_the_model_and_keep_the_invariants() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Op.Scenarios, ops => Run(() => RunSequenceAsync(ops))));

    [Fact]
    public void Concurrent_requests_and_retries_keep_the_invariants() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(15), Prop.ForAll(Op.Scenarios, ops => Run(() => RunConcurrentlyAsync(ops))));

    private static bool Run(Func<Task> scenario)
    {
        Task.Run(scenario).GetAwaiter().GetResult();
        return true;
    }

    private async Task RunSequenceAsync(Op[] ops)
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, Op.Holders).Select(_ => OpenAccountAsync()));
        var model = new PurseModel(Rules);
        _cards = accounts.Select(a => a.CardNo).ToArray();
        for (var h = 0; h < Op.Holders; h++) model.Issued(h, _cards[h]);
        var sent = new List<(int Holder, IMessage Request)>();
        var answered = new List<long>();
        foreach (var op in ops)
        {
            var h = op.Holder;
            if (op.Kind == OpKind.Retry)
            {
                if (sent.Count == 0) continue;
                var (holder, request) = sent[op.Target % sent.Count];
                Assert.True(model.TryFirstAnswer(Scope(request), RequestId(request), out var first));
                Assert.Equal(first, await SendAsync(request));
                continue;
            }
            var next = Build(op, accounts, sent, model.TakeTombstone(_cards[h]));
            var reply = await SendAsync(next);
            answered.Add(TransactionId(reply));
            var expected = Expect(model, op, next);
            Assert.True(Equals(expected, Decision(reply)), $"{op}: {next} → {reply}, expected {expected}");
            if (reply is CardReply { Outcome: Outcome.Approved } replaced && op.Kind == OpKind.Replace)
            {
                Assert.NotEqual(_cards[h], replaced.CardNo);
                model.Issued(h, _cards[h] = replaced.CardNo);
            }
            Assert.True(model.Purse(h) == PurseAfter(reply), $"{op}: {next} → {reply}, expected a purse of {model.Purse(h)}");
            model.Remember(Scope(next), RequestId(next), reply);
            sent.Add((h, next));
        }
        await AssertInvariantsAsync(answered);
        for (var h = 0; h < Op.Holders; h++)
        {
            var account = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = accounts[h].PersonNo });
            Assert.Equal((model.Purse(h), model.Wallet(h), _cards[h]), (account.Balances.PurseFen, account.Balances.WalletFen, account.CardNo));
        }
    }

    private async Task RunConcurrentlyAsync(Op[] ops)
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, Op.Holders).Select(_ => OpenFundedAccountAsync(10_000)));
        _cards = accounts.Select(a => a.CardNo).ToArray();
        var requests = new List<(int Holder, IMessage Request)>();
        foreach (var op in ops)
        {
            if (op.Kind == OpKind.Retry) { if (requests.Count > 0) requests.Add(requests[op.Target % requests.Count]); }
            else requests.Add((op.Holder, Build(op, accounts, requests, tombstone: null)));
        }

        var replies = await Task.WhenAll(requests.Select(r => SendAsync(r.Request)));

        var purse = new long[Op.Holders];
        var firsts = new Dictionary<(int, string), IMessage>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (h, request) = requests[i];
            if (firsts.TryGetValue((h, RequestId(request)), out var first))
            {
                Assert.Equal(first, replies[i]);
                continue;
            }
            firsts[(h, RequestId(request))] = replies[i];
            purse[h] += PurseEffect(request, replies[i]);
        }
        await AssertInvariantsAsync(replies.Select(TransactionId));
        for (var h = 0; h < Op.Holders; h++)
        {
            var account = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = accounts[h].PersonNo });
            Assert.Equal(10_000 + purse[h], account.Balances.PurseFen);
        }
    }

    private IMessage Build(Op op, Account[] accounts, List<(int Holder, IMessage Request)> sent, string? tombstone)
    {
        var account = accounts[op.Holder];
        return op.Kind switch
        {
            OpKind.Credit => new CreditRequest { RequestId = NextId("credit"), PersonNo = account.PersonNo, AmountFen = op.Amount, Source = Contracts.V1.SystemAccount.Suspense },
            OpKind.TopUp => new QuotaTopUpRequest { RequestId = NextId("bank"), PersonNo = account.PersonNo, AmountFen = op.Amount },
            OpKind.Transfer => new TransferRequest
            {
                RequestId = NextId("xfer"), PersonNo = account.PersonNo, AmountFen = op.Amount,
                Direction = op.Flag ? TransferDirection.PurseToWallet : TransferDirection.WalletToPurse,
            },
            OpKind.Reverse when sent.Count > 0 && op.Flag && sent[op.Target % sent.Count] is { Request: DebitRequest original } pick && pick.Holder == op.Holder => new ReverseRequest
            {
                RequestId = NextId("rev"), CardNo = original.CardNo, TerminalId = TerminalIdOf(_merchants[op.Merchant].MerchantId),
                OriginalRequestId = original.RequestId,
            },
            OpKind.Reverse => new ReverseRequest
            {
                RequestId = NextId("rev"), CardNo = _cards[op.Holder], TerminalId = TerminalIdOf(_merchants[op.Merchant].MerchantId),
                OriginalRequestId = sent.Count > 0 && op.Flag ? RequestId(sent[op.Target % sent.Count].Request) : NextId("ghost"),
            },
            OpKind.ReportLoss => new ReportLossRequest { RequestId = NextId("loss"), PersonNo = account.PersonNo },
            OpKind.CancelLoss => new CancelLossRequest { RequestId = NextId("found"), PersonNo = account.PersonNo },
            OpKind.Freeze => new FreezeRequest { RequestId = NextId("freeze"), PersonNo = account.PersonNo, Reason = FreezeReason.Admin },
            OpKind.Unfreeze => new UnfreezeRequest { RequestId = NextId("unfreeze"), PersonNo = account.PersonNo },
            OpKind.Replace => new ReplaceCardRequest { RequestId = NextId("replace"), PersonNo = account.PersonNo, Reason = ReplaceReason.Lost },
            OpKind.Close => new CloseAccountRequest { RequestId = NextId("close"), PersonNo = account.PersonNo },
            _ => new DebitRequest
            {
                RequestId = op.Kind == OpKind.LateDebit && tombstone is not null ? tombstone : NextId("T1"),
                CardNo = _cards[op.Holder], AmountFen = op.Amount,
                MerchantId = _merchants[op.Merchant].MerchantId, TerminalId = TerminalIdOf(_merchants[op.Merchant].MerchantId),
                Pin = op.Kind == OpKind.PinDebit ? op.Flag ? DefaultPin : "999999" : "",
            },
        };
    }

    /// <summary>What a request's id is scoped by: the card a terminal names, else the person.</summary>
    private static string Scope(IMessage request) => request switch
    {
        DebitRequest r => "c:" + r.CardNo,
        ReverseRequest r => "c:" + r.CardNo,
        _ => "p:" + (string)request.Descriptor.FindFieldByName("person_no").Accessor.GetValue(request),
    };

    private static object Expect(PurseModel model, Op op, IMessage request) => request switch
    {
        CreditRequest r => model.Fund(op.Holder, r.AmountFen, allowed: true),
        QuotaTopUpRequest r => model.Fund(op.Holder, r.AmountFen, allowed: r.AmountFen is >= 2_000 and <= 20_000),
        TransferRequest r => model.Transfer(op.Holder, r.AmountFen, r.Direction == TransferDirection.PurseToWallet),
        ReverseRequest r => model.Reverse(op.Holder, r.CardNo, r.RequestId, r.OriginalRequestId, op.Merchant),
        DebitRequest r => model.Debit(op.Holder, r.CardNo, r.RequestId, r.AmountFen, op.Merchant, r.Pin.Length == 0 ? null : r.Pin == DefaultPin),
        _ => model.Change(op.Holder, op.Kind),
    };

    private static object Decision(IMessage reply) => reply switch
    {
        FundingReply r => (r.Outcome, r.DeclineReason),
        DebitReply r => (r.Outcome, r.DeclineReason),
        ReverseReply r => (r.Outcome, r.DeclineReason, r.Effect, r.ReversedAmountFen),
        CardReply r => (r.Outcome, r.DeclineReason, r.CardState, r.AmountFen),
        _ => throw new ArgumentOutOfRangeException(nameof(reply)),
    };

    private static long PurseEffect(IMessage request, IMessage reply) => (request, reply) switch
    {
        (CreditRequest r, FundingReply { Outcome: Outcome.Approved }) => r.AmountFen,
        (QuotaTopUpRequest r, FundingReply { Outcome: Outcome.Approved }) => r.AmountFen,
        (TransferRequest r, FundingReply { Outcome: Outcome.Approved }) => r.Direction == TransferDirection.PurseToWallet ? -r.AmountFen : r.AmountFen,
        (DebitRequest r, DebitReply { Outcome: Outcome.Approved }) => -r.AmountFen,
        (ReverseRequest, ReverseReply { Outcome: Outcome.Approved } r) => r.ReversedAmountFen,
        (_, CardReply { Outcome: Outcome.Approved } r) => -r.AmountFen,
        _ => 0,
    };

    private async Task<IMessage> SendAsync(IMessage request) => request switch
    {
        CreditRequest r => await CallAsync(Funding.CreditAsync, r),
        QuotaTopUpRequest r => await CallAsync(FundingAs(Domain.CallerRole.Bank).QuotaTopUpAsync, r),
        TransferRequest r => await CallAsync(FundingAs(Domain.CallerRole.Kiosk).TransferAsync, r),
        ReverseRequest r => await CallAsync(TerminalOf(r.TerminalId[2..]).ReverseAsync, r),
        DebitRequest r => await CallAsync(TerminalOf(r.MerchantId).DebitAsync, r),
        ReportLossRequest r => await CallAsync(Cards.ReportLossAsync, r),
        CancelLossRequest r => await CallAsync(Cards.CancelLossAsync, r),
        FreezeRequest r => await CallAsync(Cards.FreezeAsync, r),
        UnfreezeRequest r => await CallAsync(Cards.UnfreezeAsync, r),
        ReplaceCardRequest r => await CallAsync(Cards.ReplaceCardAsync, r),
        CloseAccountRequest r => await CallAsync(Cards.CloseAccountAsync, r),
        _ => throw new ArgumentOutOfRangeException(nameof(request)),
    };

    private static string RequestId(IMessage request) =>
        (string)request.Descriptor.FindFieldByName("request_id").Accessor.GetValue(request);

    private static long TransactionId(IMessage reply) =>
        (long)reply.Descriptor.FindFieldByName("transaction_id").Accessor.GetValue(reply);

    private static long PurseAfter(IMessage reply) => reply switch
    {
        FundingReply r => r.Balances.PurseFen,
        DebitReply r => r.BalanceFen,
        ReverseReply r => r.BalanceFen,
        CardReply r => r.Balances.PurseFen,
        _ => throw new ArgumentOutOfRangeException(nameof(reply)),
    };
}
