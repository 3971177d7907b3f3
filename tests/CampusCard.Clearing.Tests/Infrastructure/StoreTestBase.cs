using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// A real journal (a fresh database of a provider: PostgreSQL unless a class says otherwise) and a real hot store (Redis, under a key prefix of its own, made
/// complete from the empty journal) for each test, with helpers to open holders and merchants and to decide requests.
/// </summary>
public abstract class StoreTestBase : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 9, 1, 12, 0, 0, TimeSpan.FromHours(8));
    protected static readonly int Today = BusinessCalendar.ChinaStandardTime.DayNumber(Now);

    protected ScratchJournal Database { get; private set; } = null!;
    protected IJournal Journal => Database.Journal;
    protected IRegistry Registry => Database.Registry;
    protected RedisHotStore Hot { get; private set; } = null!;
    protected string Prefix { get; } = LocalServers.NewKeyPrefix();

    private int _requests;

    public async Task InitializeAsync()
    {
        Database = await CreateJournalAsync();
        Hot = LocalServers.HotStore(Prefix);
        await Hot.CheckConfigurationAsync();
        await RestoreAsync();
    }

    public async Task DisposeAsync()
    {
        await LocalServers.DeleteKeysAsync(Prefix);
        await Database.DisposeAsync();
    }

    protected virtual async Task<ScratchJournal> CreateJournalAsync() => await ScratchDatabase.CreateAsync();

    protected Task<HotSnapshot> SnapshotAsync(int partition) => Journal.SnapshotAsync(Hot.Partitions, partition, Now, BusinessDays.Everywhere(Today), TimeSpan.FromDays(7), default);

    /// <summary>Rebuilds every partition of the hot state from the journal, as recovery does.</summary>
    protected async Task RestoreAsync()
    {
        foreach (var partition in Hot.Partitions.All) await Hot.RebuildAsync(partition, await SnapshotAsync(partition));
    }

    /// <summary>Opens an account as the card office does: the registry's holder, its first card, and the decision that opens it.</summary>
    protected async Task<Holder> OpenHolderAsync(long purseFen = 0, CardTypeRules? rules = null)
    {
        var holder = (await Registry.OpenHolderAsync(Campuses.Default, $"P{Guid.NewGuid():N}"[..12], "测试 Test", CardType.Student, "id-hash", Now, default))!;
        var card = await Registry.IssueCardAsync(Campuses.Default, CardOf(holder), holder.Id, Now, default);
        var limits = rules ?? new CardTypeRules { SingleLimitFen = 0, DailyLimitFen = 0 };
        Assert.Equal(Outcome.Approved, (await DecideAndJournalAsync(new ClearingRequest
        {
            Kind = TransactionKind.OpenCard,
            RequestId = OpenCardKind.RequestId,
            Campus = Campuses.Default,
            PersonNo = holder.PersonNo,
            CardNo = card.CardNo,
            Code = (short)CardType.Student,
            HolderId = holder.Id,
            Terms = new Terms(limits.SingleLimitFen, limits.DailyLimitFen),
        })).Results[0].Decision!.Outcome);
        await Hot.AddCardAsync(card);
        if (purseFen > 0) await DecideAndJournalAsync(Credit(holder, purseFen));
        return holder;
    }

    /// <summary>The card <see cref="OpenHolderAsync"/> issues: the one the card office makes for the person.</summary>
    protected static string CardOf(Holder holder) => CardNumbers.Generate("open:" + holder.PersonNo);

    protected async Task<Merchant> OpenMerchantAsync() =>
        (await Registry.OpenMerchantAsync(Campuses.Default, $"M{Guid.NewGuid():N}"[..12], "一食堂 Canteen 1", MerchantCategory.Dining, Now, default))!;

    protected string NextRequestId() => $"req-{Interlocked.Increment(ref _requests)}";

    protected ClearingRequest Debit(Holder holder, Merchant merchant, long amountFen, string? requestId = null) => new()
    {
        Kind = TransactionKind.Debit,
        RequestId = requestId ?? NextRequestId(),
        Campus = Campuses.Default,
        CardNo = CardOf(holder),
        AmountFen = amountFen,
        MerchantId = merchant.MerchantId,
        MerchantNo = merchant.No,
        TerminalId = "T1",
    };

    /// <summary>A reversal sent by a terminal of <paramref name="merchant"/>.</summary>
    protected ClearingRequest Reversal(Holder holder, Merchant merchant, string originalRequestId, string? requestId = null) => new()
    {
        Kind = TransactionKind.Reversal,
        RequestId = requestId ?? NextRequestId(),
        Campus = Campuses.Default,
        CardNo = CardOf(holder),
        OriginalRequestId = originalRequestId,
        MerchantId = merchant.MerchantId,
        MerchantNo = merchant.No,
        TerminalId = "T1",
    };

    protected ClearingRequest Credit(Holder holder, long amountFen) => new()
    {
        Kind = TransactionKind.Credit,
        RequestId = NextRequestId(),
        Campus = Campuses.Default,
        PersonNo = holder.PersonNo,
        AmountFen = amountFen,
        Source = SystemAccount.Suspense,
    };

    /// <summary>自动转账 at a kiosk, the PIN verified: below <paramref name="thresholdFen"/> ask the bank for <paramref name="amountFen"/>.</summary>
    protected ClearingRequest SetAutoTopUp(Holder holder, long thresholdFen, long amountFen) => new()
    {
        Kind = TransactionKind.SetAutoTopUp,
        RequestId = NextRequestId(),
        Campus = Campuses.Default,
        CardNo = CardOf(holder),
        AmountFen = amountFen,
        LimitFen = thresholdFen,
        Pin = PinCheck.Verified,
        Terms = new Terms(3, 0),
    };

    /// <summary>Decides the requests as the engine does: each at the hot state its card or person resolves to.</summary>
    protected async Task<DecidedBatch> DecideAsync(params ClearingRequest[] requests) => await DecideAsync(await TargetsAsync(requests));

    protected Task<DecidedBatch> DecideAsync(params HotRequest[] requests) => DecideAsync(requests, []);

    /// <summary>
    /// Decides each partition's share as the engine does, the results in the order of <paramref name="requests"/>. The
    /// batch names the partition and outbox entry when one partition decided it all (-1 and none for several:
    /// <see cref="DecideAndJournalAsync"/> acknowledges them).
    /// </summary>
    protected async Task<DecidedBatch> DecideAsync(HotRequest[] requests, IReadOnlyList<JournalEntry> journaled)
    {
        var results = new HotResult[requests.Length];
        _outboxes.Clear();
        foreach (var share in requests.Select((r, i) => (Request: r, Index: i)).GroupBy(x => Hot.PartitionOf(x.Request.Target)))
        {
            var decided = await Hot.DecideAsync(share.Key, [.. share.Select(x => x.Request)], Now, Today, [], journaled);
            var j = 0;
            foreach (var (_, i) in share) results[i] = decided.Results[j++];
            if (decided.OutboxId is { } id) _outboxes.Add((share.Key, id));
        }
        return _outboxes.Count == 1 ? new DecidedBatch(_outboxes[0].Partition, _outboxes[0].OutboxId, results) : new DecidedBatch(-1, null, results);
    }

    private readonly List<(int Partition, string OutboxId)> _outboxes = [];

    protected async Task<HotRequest[]> TargetsAsync(params ClearingRequest[] requests)
    {
        var cards = await Hot.ResolveCardsAsync(requests.Where(r => r.ByCard).Select(r => r.CardNo).ToHashSet());
        return requests.Select(r => new HotRequest(r, !r.ByCard
            ? HotTarget.Person(Campuses.Default, r.PersonNo, known: false)
            : cards.TryGetValue(r.CardNo, out var card) ? HotTarget.Person(Campuses.Default, card.PersonNo, known: true) : HotTarget.NoOneHolds(Campuses.Default, r.CardNo))).ToArray();
    }

    /// <summary>Decides and journals the batch the way the engine does.</summary>
    protected async Task<DecidedBatch> DecideAndJournalAsync(params ClearingRequest[] requests)
    {
        var batch = await DecideAsync(requests);
        await Journal.AppendAsync(NewEntries(requests, batch), default);
        foreach (var (partition, id) in _outboxes) await Hot.AcknowledgeAsync(partition, [id]);
        return batch;
    }

    protected static List<JournalEntry> NewEntries(IReadOnlyList<ClearingRequest> requests, DecidedBatch batch) =>
        requests.Select((r, i) => (r, batch.Results[i]))
            .Where(x => x.Item2.Outcome == HotOutcome.New)
            .Select(x => new JournalEntry(x.r, x.Item2.Decision!))
            .ToList();

    protected Task<HolderHotState?> HolderAsync(Holder holder) => Hot.ReadHolderAsync(HotTarget.Person(holder.Campus, holder.PersonNo, known: true));

    protected Task<long> JournalBalanceAsync(AccountRef account) =>
        Database.ScalarAsync<long>($"SELECT coalesce(sum(amount_fen), 0) FROM postings WHERE account_kind = {(int)account.Kind} AND account_owner = {account.Owner}");
}
