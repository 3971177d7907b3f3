using BenchmarkDotNet.Attributes;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Benchmarks;

/// <summary>
/// One batch of debits, each on a holder of its own, decided by decide.lua in one EVALSHA against the real Redis.
/// Every invocation uses fresh request ids, so every debit is a new approval, and acknowledges the previous batch's
/// outbox entry the way the pipeline does once a batch is journaled, so the outbox stays at one entry.
/// </summary>
[MemoryDiagnoser]
public class HotStoreDecideBenchmarks
{
    private const long OpeningFen = 10_000_000;
    // One fen per debit, so the opening credit outlasts any run length.
    private const long DebitFen = 1;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly int Today = BusinessCalendar.ChinaStandardTime.DayNumber(Now);

    private readonly string _prefix = LocalServers.NewKeyPrefix();
    private RedisHotStore _store = null!;
    private HotRequest[] _debits = [];
    private string[] _acknowledged = [];
    private long _next;

    [Params(1, 100, 1_000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        // One partition: the benchmark measures one FCALL of a batch of its size.
        _store = LocalServers.HotStore(_prefix, partitions: 1);
        await _store.RestoreAsync(0, await _store.BeginRebuildAsync(0), new HotSnapshot(0, [], new Dictionary<string, CardRef>(), [], Now));
        var holders = Enumerable.Range(1, BatchSize).Select(id => new Holder(id, $"P{id:D7}", "张三", CardType.Student, Now)).ToArray();
        await DecideAsync(holders.Select(h => new HotRequest(new ClearingRequest
        {
            Kind = TransactionKind.OpenCard,
            RequestId = OpenCardKind.RequestId,
            Campus = Campuses.Default,
            PersonNo = h.PersonNo,
            CardNo = CardOf(h),
            Code = (short)CardType.Student,
            HolderId = h.Id,
        }, HotTarget.Person(Campuses.Default, h.PersonNo, known: false))).ToArray());
        foreach (var h in holders) await _store.AddCardAsync(new IssuedCard(CardOf(h), h.Id, h.PersonNo, Now));
        await DecideAsync(holders.Select(h => new HotRequest(new ClearingRequest
        {
            Kind = TransactionKind.Credit,
            RequestId = $"opening-{h.Id}",
            Campus = Campuses.Default,
            PersonNo = h.PersonNo,
            AmountFen = OpeningFen,
            Source = SystemAccount.Suspense,
        }, HotTarget.Person(Campuses.Default, h.PersonNo, known: true))).ToArray());
        _debits = holders.Select(h => new HotRequest(new ClearingRequest
        {
            Kind = TransactionKind.Debit,
            RequestId = "",
            Campus = Campuses.Default,
            CardNo = CardOf(h),
            AmountFen = DebitFen,
            MerchantId = "CANTEEN-1",
            MerchantNo = 1,
            TerminalId = "T0042",
        }, HotTarget.Person(Campuses.Default, h.PersonNo, known: true))).ToArray();
    }

    private static string CardOf(Holder holder) => CardNumbers.Generate("open:" + holder.PersonNo);

    [Benchmark]
    public Task DecideDebits()
    {
        for (var i = 0; i < _debits.Length; i++) _debits[i] = _debits[i] with { Request = _debits[i].Request with { RequestId = $"T0042-{++_next}" } };
        return DecideAsync(_debits);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => LocalServers.DeleteKeysAsync(_prefix);

    private async Task DecideAsync(HotRequest[] requests)
    {
        var batch = await _store.DecideAsync(0, requests, Now, Today, _acknowledged, []);
        foreach (var result in batch.Results)
        {
            if (result is not { Outcome: HotOutcome.New, Decision.Outcome: Outcome.Approved })
                throw new InvalidOperationException($"expected a new approval, got {result}");
        }
        _acknowledged = [batch.OutboxId!];
    }
}
