using BenchmarkDotNet.Attributes;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Journal;
using Microsoft.Extensions.Logging.Abstractions;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Benchmarks;

/// <summary>
/// A decided batch of approved debits written to the journal in one transaction (one binary COPY), into a fresh
/// migrated database whose holder and merchant accounts exist, so the foreign keys and the balance trigger run as in
/// production. Transaction and request ids come from a counter, so no batch takes the replay path.
/// </summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    private const long DebitFen = 850;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly int Today = BusinessCalendar.ChinaStandardTime.DayNumber(Now);

    private ScratchDatabase _database = null!;
    private PostgresJournal _journal = null!;
    private Holder _holder = null!;
    private Merchant _merchant = null!;
    private JournalEntry[] _entries = [];
    private long _nextTransactionId;

    [Params(1, 100, 1_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await ScratchDatabase.CreateAsync();
        var registry = new PostgresRegistry(_database.DataSource);
        _holder = (await registry.OpenHolderAsync(Campuses.Default, "2021001", "张三", CardType.Student, "", Now, CancellationToken.None))!;
        _merchant = (await registry.OpenMerchantAsync(Campuses.Default, "CANTEEN-1", "一食堂", MerchantCategory.Dining, Now, CancellationToken.None))!;
        _journal = new PostgresJournal(_database.DataSource, NullLogger<PostgresJournal>.Instance);
        _entries = new JournalEntry[Count];
    }

    [Benchmark]
    public Task AppendDebits()
    {
        for (var i = 0; i < _entries.Length; i++) _entries[i] = ApprovedDebit(++_nextTransactionId);
        return _journal.AppendAsync(_entries, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _database.DisposeAsync();

    private JournalEntry ApprovedDebit(long transactionId) => new(
        new ClearingRequest
        {
            Kind = TransactionKind.Debit,
            RequestId = $"T0042-{transactionId}",
            Campus = Campuses.Default,
            CardNo = CardNumbers.Generate("open:2021001"),
            AmountFen = DebitFen,
            MerchantId = _merchant.MerchantId,
            MerchantNo = _merchant.No,
            TerminalId = "T0042",
        },
        new Decision
        {
            Outcome = Outcome.Approved,
            TransactionId = transactionId,
            HolderId = _holder.Id,
            Balances = new Balances(1_000_000, 0, 0),
            MovedFen = DebitFen,
            MerchantNo = _merchant.No,
            DecidedAtMs = Now.ToUnixTimeMilliseconds(),
            BusinessDay = Today,
        });
}
