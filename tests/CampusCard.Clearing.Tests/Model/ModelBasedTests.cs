using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Outcome = CampusCard.Clearing.Contracts.V1.Outcome;

namespace CampusCard.Clearing.Tests.Model;

/// <summary>
/// Random sequences of credits, top-ups, debits with and without the PIN over the limits, transfers, reversals,
/// retries, the card office's changes (loss, freeze, replacement, closing), pending top-ups and claims, holds and their
/// settles and releases, offline records that may overdraw, auto top-up settings (whose requests a low purse opens) and
/// restarts of the service with all of these open, run against the real service and checked step by step against
/// <see cref="PurseModel"/>, then against the invariants in Redis and the journal (1–9). A second property sends each
/// scenario all at once. The holders live at two campuses (issue 26): holder 1 at campus "b" under holder 0's person number,
/// each campus with merchants and terminals of the same ids, every call made by its holder's campus's callers.
/// </summary>
[Trait("Suite", "Cluster")]
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

    /// <summary>The second campus: holder <see cref="AtB"/> lives there.</summary>
    private const string B = "b";

    private const int AtB = 1;

    private static string? CampusOf(int holder) => holder == AtB ? B : null;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _merchants = [await OpenMerchantAsync(), await OpenMerchantAsync()];
        await CreateCampusAsync(B, "乙校区");
        var office = CardsOf(AtB);
        foreach (var merchant in _merchants)
        {
            await CallAsync(office.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = merchant.MerchantId, Name = "乙 " + merchant.Name, Category = merchant.Category });
            await CallAsync(office.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = TerminalIdOf(merchant.MerchantId), MerchantId = merchant.MerchantId });
        }
    }

    /// <summary>The scenario's accounts: holder <see cref="AtB"/> at campus b under the person number of holder 0, the others here.</summary>
    private async Task<Account[]> OpenAccountsAsync(long purseFen)
    {
        var accounts = new Account[Op.Holders];
        for (var h = 0; h < Op.Holders; h++)
        {
            accounts[h] = await CallAsync(CardsOf(h).OpenAccountAsync, new OpenAccountRequest
            {
                PersonNo = h == AtB ? accounts[0].PersonNo : NextId("P"), Name = "李四", CardType = Contracts.V1.CardType.Student, IdNumber = IdNumber,
            });
            if (purseFen > 0) await CallAsync(FundingOf(h, Domain.CallerRole.Office).CreditAsync,
                new CreditRequest { RequestId = NextId("credit"), PersonNo = accounts[h].PersonNo, AmountFen = purseFen, Source = Contracts.V1.SystemAccount.Suspense });
        }
        return accounts;
    }

    private Cards.CardsClient CardsOf(int holder) => new(As(Domain.CallerRole.Office, CampusOf(holder)));

    private Funding.FundingClient FundingOf(int holder, Domain.CallerRole role) => new(As(role, CampusOf(holder)));

    private Kiosk.KioskClient KioskOf(int holder) => new(As(Domain.CallerRole.Kiosk, CampusOf(holder)));

    private Terminal.TerminalClient TerminalFor(int holder, string merchantId) =>
        new(Testing.TestCredentials.WithToken(Channel, Testing.TestCredentials.TerminalToken(TerminalIdOf(merchantId), merchantId, CampusOf(holder))));

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
        var accounts = await OpenAccountsAsync(purseFen: 0);
        var model = new PurseModel(Rules);
        _cards = accounts.Select(a => a.CardNo).ToArray();
        for (var h = 0; h < Op.Holders; h++) model.Issued(h, Q(h, _cards[h]));
        var sent = new List<(int Holder, IMessage Request)>();
        var answered = new List<long>();
        var restarted = false;
        foreach (var op in ops)
        {
            var h = op.Holder;
            if (op.Kind == OpKind.Retry)
            {
                if (sent.Count == 0) continue;
                var (holder, request) = sent[op.Target % sent.Count];
                Assert.True(model.TryFirstAnswer(Scope(holder, request), RequestId(request), out var first));
                Assert.Equal(first, FirstAnswerOf(await SendAsync(holder, request)));
                continue;
            }
            if (op.Kind == OpKind.Restart)
            {
                // Once a scenario: holds, pending amounts and auto top-up requests stay open across it.
                if (restarted) continue;
                restarted = true;
                await RestartServiceAsync();
                continue;
            }
            var next = Build(op, accounts, sent, model.TakeTombstone(Q(h, _cards[h])));
            var reply = await SendAsync(h, next);
            answered.Add(TransactionId(reply));
            var expected = Expect(model, op, next);
            Assert.True(Equals(expected, Decision(reply)), $"{op}: {next} → {reply}, expected {expected}");
            if (reply is CardReply { Outcome: Outcome.Approved } replaced && op.Kind == OpKind.Replace)
            {
                Assert.NotEqual(_cards[h], replaced.CardNo);
                model.Issued(h, Q(h, _cards[h] = replaced.CardNo));
            }
            Assert.True(model.Purse(h) == PurseAfter(reply), $"{op}: {next} → {reply}, expected a purse of {model.Purse(h)}");
            model.Remember(Scope(h, next), RequestId(next), reply);
            sent.Add((h, next));
        }
        await AssertInvariantsAsync(answered);
        for (var h = 0; h < Op.Holders; h++)
        {
            var account = await CallAsync(CardsOf(h).GetAccountAsync, new GetAccountRequest { PersonNo = accounts[h].PersonNo });
            Assert.Equal((model.Purse(h), model.Wallet(h), model.Pending(h), model.Held(h), _cards[h]),
                (account.Balances.PurseFen, account.Balances.WalletFen, account.Balances.PendingFen, account.Balances.HeldFen, account.CardNo));
            // After 报退 whatever reaches the person is refunds payable's, for them (the invariants check the closed accounts stay 0).
            Assert.Equal(model.RefundsPayable(h), await Database.ScalarAsync<long>($"""
                SELECT coalesce(sum(CASE WHEN to_kind = 5 AND to_owner = 4 THEN moved_fen ELSE 0 END + CASE WHEN side_to_kind = 5 AND side_to_owner = 4 THEN side_fen ELSE 0 END
                              - CASE WHEN from_kind = 5 AND from_owner = 4 THEN moved_fen ELSE 0 END - CASE WHEN side_from_kind = 5 AND side_from_owner = 4 THEN side_fen ELSE 0 END), 0)::bigint
                  FROM transactions t JOIN holders p ON p.id = t.holder_id
                 WHERE p.person_no = '{accounts[h].PersonNo}' AND p.campus_no = {(h == AtB ? 2 : 1)} AND t.outcome = 1
                """));
        }
    }

    private async Task RunConcurrentlyAsync(Op[] ops)
    {
        var accounts = await OpenAccountsAsync(purseFen: 10_000);
        _cards = accounts.Select(a => a.CardNo).ToArray();
        var requests = new List<(int Holder, IMessage Request)>();
        foreach (var op in ops)
        {
            if (op.Kind == OpKind.Retry) { if (requests.Count > 0) requests.Add(requests[op.Target % requests.Count]); }
            else if (op.Kind != OpKind.Restart) requests.Add((op.Holder, Build(op, accounts, requests, tombstone: null)));
        }

        var replies = await Task.WhenAll(requests.Select(r => SendAsync(r.Holder, r.Request)));

        var purse = new long[Op.Holders];
        var closed = new bool[Op.Holders];
        var firsts = new Dictionary<(int, string), IMessage>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (h, request) = requests[i];
            if (firsts.TryGetValue((h, RequestId(request)), out var first))
            {
                Assert.Equal(first, FirstAnswerOf(replies[i]));
                continue;
            }
            firsts[(h, RequestId(request))] = FirstAnswerOf(replies[i]);
            purse[h] += PurseEffect(request, replies[i]);
            closed[h] |= request is CloseAccountRequest && replies[i] is CardReply { Outcome: Outcome.Approved };
        }
        await AssertInvariantsAsync(replies.Select(TransactionId));
        for (var h = 0; h < Op.Holders; h++)
        {
            var account = await CallAsync(CardsOf(h).GetAccountAsync, new GetAccountRequest { PersonNo = accounts[h].PersonNo });
            // A closed purse stays 0 whatever came after the close, in whatever order (the invariants check its postings).
            Assert.Equal(closed[h] ? 0 : 10_000 + purse[h], account.Balances.PurseFen);
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
            OpKind.PendingTopUp => new QuotaTopUpRequest { RequestId = NextId("online"), PersonNo = account.PersonNo, AmountFen = op.Amount, Channel = "online" },
            OpKind.Claim => new ClaimPendingRequest { RequestId = NextId("claim"), CardNo = _cards[op.Holder] },
            OpKind.Hold => new HoldRequest
            {
                RequestId = NextId("hold"), CardNo = _cards[op.Holder], MaxFen = op.Amount, TtlSeconds = 600, TerminalId = TerminalIdOf(_merchants[op.Merchant].MerchantId),
            },
            OpKind.Settle or OpKind.Release => CloseHold(op, sent),
            OpKind.Offline => new OfflineRecord
            {
                TerminalId = TerminalIdOf(_merchants[op.Merchant].MerchantId), TerminalSeq = Interlocked.Increment(ref _offlineSeq), CardNo = _cards[op.Holder],
                AmountFen = op.Amount, OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Clock.GetUtcNow().AddMinutes(-1)),
            },
            OpKind.AutoTopUp => new SetAutoTopUpRequest
            {
                RequestId = NextId("auto"), CardNo = _cards[op.Holder], Pin = op.Flag ? DefaultPin : "999999", ThresholdFen = 3_000, AmountFen = 2_000,
            },
            _ => new DebitRequest
            {
                RequestId = op.Kind == OpKind.LateDebit && tombstone is not null ? tombstone : NextId("T1"),
                CardNo = _cards[op.Holder], AmountFen = op.Amount,
                MerchantId = _merchants[op.Merchant].MerchantId, TerminalId = TerminalIdOf(_merchants[op.Merchant].MerchantId),
                Pin = op.Kind == OpKind.PinDebit ? op.Flag ? DefaultPin : "999999" : "",
            },
        };
    }

    private long _offlineSeq;

    /// <summary>A settle or release of an earlier hold of the holder (else of one never sent), by the terminal of the op's merchant.</summary>
    private IMessage CloseHold(Op op, List<(int Holder, IMessage Request)> sent)
    {
        var holds = sent.Where(s => s.Holder == op.Holder && s.Request is HoldRequest).Select(s => (HoldRequest)s.Request).ToList();
        var hold = op.Flag && holds.Count > 0 ? holds[op.Target % holds.Count] : null;
        var (cardNo, holdId, terminalId) = (hold?.CardNo ?? _cards[op.Holder], hold?.RequestId ?? NextId("ghost"), TerminalIdOf(_merchants[op.Merchant].MerchantId));
        return op.Kind == OpKind.Settle
            ? new SettleHoldRequest { RequestId = NextId("settle"), HoldRequestId = holdId, CardNo = cardNo, AmountFen = op.Amount % 4_000, TerminalId = terminalId }
            : new ReleaseHoldRequest { RequestId = NextId("release"), HoldRequestId = holdId, CardNo = cardNo, TerminalId = terminalId };
    }

    /// <summary>An answer as the first one was: an offline record sent again says it is a duplicate, and is otherwise the same.</summary>
    private static IMessage FirstAnswerOf(IMessage reply) => reply is OfflineResult r ? r.Clone().With(c => c.Duplicate = false) : reply;

    /// <summary>A card or scope of the holder's within its campus: the model tells the holders' cards apart as the service does.</summary>
    private static string Q(int holder, string id) => Domain.Campuses.Qualify(holder == AtB ? (short)2 : Domain.Campuses.Default, id);

    /// <summary>What a request's id is scoped by: the card a terminal or kiosk names, else the person, within the holder's campus.</summary>
    private static string Scope(int holder, IMessage request) => request switch
    {
        DebitRequest r => "c:" + Q(holder, r.CardNo),
        ReverseRequest r => "c:" + Q(holder, r.CardNo),
        ClaimPendingRequest r => "c:" + Q(holder, r.CardNo),
        HoldRequest r => "c:" + Q(holder, r.CardNo),
        SettleHoldRequest r => "c:" + Q(holder, r.CardNo),
        ReleaseHoldRequest r => "c:" + Q(holder, r.CardNo),
        OfflineRecord r => "c:" + Q(holder, r.CardNo),
        SetAutoTopUpRequest r => "c:" + Q(holder, r.CardNo),
        _ => "p:" + Q(holder, (string)request.Descriptor.FindFieldByName("person_no").Accessor.GetValue(request)),
    };

    private static object Expect(PurseModel model, Op op, IMessage request) => request switch
    {
        CreditRequest r => model.Fund(op.Holder, r.AmountFen, allowed: true),
        QuotaTopUpRequest { Channel: "online" } r => model.FundPending(op.Holder, r.AmountFen, allowed: r.AmountFen is >= 100 and <= 50_000),
        QuotaTopUpRequest r => model.Fund(op.Holder, r.AmountFen, allowed: r.AmountFen is >= 2_000 and <= 20_000),
        ClaimPendingRequest => model.Claim(op.Holder),
        HoldRequest r => model.Hold(op.Holder, Q(op.Holder, r.CardNo), r.RequestId, r.MaxFen, op.Merchant),
        SettleHoldRequest r => model.CloseHold(op.Holder, Q(op.Holder, r.CardNo), r.HoldRequestId, r.AmountFen, op.Merchant),
        ReleaseHoldRequest r => model.CloseHold(op.Holder, Q(op.Holder, r.CardNo), r.HoldRequestId, null, op.Merchant),
        OfflineRecord r => model.Offline(op.Holder, r.AmountFen),
        SetAutoTopUpRequest r => model.SetAutoTopUp(op.Holder, r.Pin == DefaultPin),
        TransferRequest r => model.Transfer(op.Holder, r.AmountFen, r.Direction == TransferDirection.PurseToWallet),
        ReverseRequest r => model.Reverse(op.Holder, Q(op.Holder, r.CardNo), r.RequestId, r.OriginalRequestId, op.Merchant),
        DebitRequest r => model.Debit(op.Holder, Q(op.Holder, r.CardNo), r.RequestId, r.AmountFen, op.Merchant, r.Pin.Length == 0 ? null : r.Pin == DefaultPin),
        _ => model.Change(op.Holder, op.Kind),
    };

    private static object Decision(IMessage reply) => reply switch
    {
        FundingReply r => (r.Outcome, r.DeclineReason),
        DebitReply r => (r.Outcome, r.DeclineReason),
        ReverseReply r => (r.Outcome, r.DeclineReason, r.Effect, r.ReversedAmountFen),
        CardReply r => (r.Outcome, r.DeclineReason, r.CardState, r.AmountFen),
        ClaimPendingReply r => (r.Outcome, r.DeclineReason, r.ClaimedFen),
        HoldReply r => (r.Outcome, r.DeclineReason, r.AmountFen, r.ReleasedFen),
        OfflineResult r => (r.Outcome, r.DeclineReason, r.Effect, r.CardState),
        _ => throw new ArgumentOutOfRangeException(nameof(reply)),
    };

    private static long PurseEffect(IMessage request, IMessage reply) => (request, reply) switch
    {
        (CreditRequest r, FundingReply { Outcome: Outcome.Approved }) => r.AmountFen,
        (QuotaTopUpRequest r, FundingReply { Outcome: Outcome.Approved }) => r.Channel == "online" ? 0 : r.AmountFen,
        (ClaimPendingRequest, ClaimPendingReply { Outcome: Outcome.Approved } r) => r.ClaimedFen,
        (HoldRequest r, HoldReply { Outcome: Outcome.Approved }) => -r.MaxFen,
        (SettleHoldRequest, HoldReply { Outcome: Outcome.Approved } r) => r.ReleasedFen,
        (ReleaseHoldRequest, HoldReply { Outcome: Outcome.Approved } r) => r.AmountFen,
        (OfflineRecord r, OfflineResult { Outcome: Outcome.Approved }) => -r.AmountFen,
        (SetAutoTopUpRequest, CardReply) => 0,
        (TransferRequest r, FundingReply { Outcome: Outcome.Approved }) => r.Direction == TransferDirection.PurseToWallet ? -r.AmountFen : r.AmountFen,
        (DebitRequest r, DebitReply { Outcome: Outcome.Approved }) => -r.AmountFen,
        (ReverseRequest, ReverseReply { Outcome: Outcome.Approved } r) => r.ReversedAmountFen,
        (_, CardReply { Outcome: Outcome.Approved } r) => -r.AmountFen,
        _ => 0,
    };

    /// <summary>The request, sent by the caller of the holder's campus that makes it.</summary>
    private async Task<IMessage> SendAsync(int holder, IMessage request) => request switch
    {
        CreditRequest r => await CallAsync(FundingOf(holder, Domain.CallerRole.Office).CreditAsync, r),
        QuotaTopUpRequest r => await CallAsync(FundingOf(holder, Domain.CallerRole.Bank).QuotaTopUpAsync, r),
        TransferRequest r => await CallAsync(FundingOf(holder, Domain.CallerRole.Kiosk).TransferAsync, r),
        ReverseRequest r => await CallAsync(TerminalFor(holder, r.TerminalId[2..]).ReverseAsync, r),
        DebitRequest r => await CallAsync(TerminalFor(holder, r.MerchantId).DebitAsync, r),
        ReportLossRequest r => await CallAsync(CardsOf(holder).ReportLossAsync, r),
        CancelLossRequest r => await CallAsync(CardsOf(holder).CancelLossAsync, r),
        FreezeRequest r => await CallAsync(CardsOf(holder).FreezeAsync, r),
        UnfreezeRequest r => await CallAsync(CardsOf(holder).UnfreezeAsync, r),
        ReplaceCardRequest r => await CallAsync(CardsOf(holder).ReplaceCardAsync, r),
        CloseAccountRequest r => await CallAsync(CardsOf(holder).CloseAccountAsync, r),
        ClaimPendingRequest r => await CallAsync(KioskOf(holder).ClaimPendingAsync, r),
        SetAutoTopUpRequest r => await CallAsync(KioskOf(holder).SetAutoTopUpAsync, r),
        HoldRequest r => await CallAsync(TerminalFor(holder, r.TerminalId[2..]).HoldAsync, r),
        SettleHoldRequest r => await CallAsync(TerminalFor(holder, r.TerminalId[2..]).SettleHoldAsync, r),
        ReleaseHoldRequest r => await CallAsync(TerminalFor(holder, r.TerminalId[2..]).ReleaseHoldAsync, r),
        OfflineRecord r => await UploadAsync(holder, r),
        _ => throw new ArgumentOutOfRangeException(nameof(request)),
    };

    /// <summary>One offline record in an upload of its own; its result.</summary>
    private async Task<OfflineResult> UploadAsync(int holder, OfflineRecord record)
    {
        using var call = TerminalFor(holder, record.TerminalId[2..]).UploadOffline(deadline: DateTime.UtcNow.AddSeconds(30));
        await call.RequestStream.WriteAsync(record);
        await call.RequestStream.CompleteAsync();
        return (await call.ResponseAsync).Results.Single();
    }

    private static string RequestId(IMessage request) => request is OfflineRecord r
        ? Domain.OfflineDebitKind.RequestIdOf(r.TerminalId, r.TerminalSeq)
        : (string)request.Descriptor.FindFieldByName("request_id").Accessor.GetValue(request);

    private static long TransactionId(IMessage reply) =>
        (long)reply.Descriptor.FindFieldByName("transaction_id").Accessor.GetValue(reply);

    private static long PurseAfter(IMessage reply) => reply switch
    {
        FundingReply r => r.Balances.PurseFen,
        DebitReply r => r.BalanceFen,
        ReverseReply r => r.BalanceFen,
        CardReply r => r.Balances.PurseFen,
        ClaimPendingReply r => r.Balances.PurseFen,
        HoldReply r => r.Balances.PurseFen,
        OfflineResult r => r.BalanceFen,
        _ => throw new ArgumentOutOfRangeException(nameof(reply)),
    };
}
