using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>The real journal, for tests that hold or count some of its calls: override what to intercept.</summary>
public abstract class DelegatingJournal(IJournal inner) : IJournal
{
    public virtual Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) => inner.AppendAsync(entries, cancellationToken);

    public Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken) => inner.MaxTransactionIdAsync(cancellationToken);

    public Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken) => inner.ContainsAsync(transactionId, cancellationToken);

    public virtual Task<IReadOnlyList<JournalEntry>> FindAsync(IReadOnlyCollection<(string Scope, string RequestId)> keys, CancellationToken cancellationToken) =>
        inner.FindAsync(keys, cancellationToken);

    public virtual IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken) =>
        inner.ReadRequestKeysAsync(from, before, cancellationToken);

    public Task<long> CountRequestKeysAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.CountRequestKeysAsync(before, cancellationToken);

    public Task<IReadOnlyList<CardStateRow>> ReadCardStatesAsync(long afterTransactionId, long throughTransactionId, bool newestOnly, int maxChanges, CancellationToken cancellationToken) =>
        inner.ReadCardStatesAsync(afterTransactionId, throughTransactionId, newestOnly, maxChanges, cancellationToken);

    public virtual Task<HotSnapshot> SnapshotAsync(Partitioning partitioning, int partition, DateTimeOffset now, BusinessDays businessDays, TimeSpan idempotencyWindow,
        CancellationToken cancellationToken) =>
        inner.SnapshotAsync(partitioning, partition, now, businessDays, idempotencyWindow, cancellationToken);

    public Task<bool> HoldsAfterAsync(int partition, long afterId, CancellationToken cancellationToken) => inner.HoldsAfterAsync(partition, afterId, cancellationToken);

    public Task<IReadOnlyList<ExpiredHold>> ExpiredHoldsAsync(DateTimeOffset since, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        inner.ExpiredHoldsAsync(since, now, max, cancellationToken);

    public Task<IReadOnlyList<AutoTopUpRequest>> OpenAutoTopUpsAsync(long afterId, long throughId, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        inner.OpenAutoTopUpsAsync(afterId, throughId, now, max, cancellationToken);

    public Task<IReadOnlyList<string>> SubsidizedPersonsAsync(short campus, string batchId, CancellationToken cancellationToken) =>
        inner.SubsidizedPersonsAsync(campus, batchId, cancellationToken);

    public Task<IReadOnlyDictionary<long, string>> OfflineCardsAsync(short campus, string terminalId, IReadOnlyCollection<long> terminalSeqs, CancellationToken cancellationToken) =>
        inner.OfflineCardsAsync(campus, terminalId, terminalSeqs, cancellationToken);

    public Task<IReadOnlyList<MerchantDay>> MerchantDaysAsync(short campus, int businessDay, long throughTransactionId, CancellationToken cancellationToken) =>
        inner.MerchantDaysAsync(campus, businessDay, throughTransactionId, cancellationToken);

    public Task<IReadOnlyList<StatementLine>> StatementAsync(HolderDays days, long beforeId, int max, CancellationToken cancellationToken) =>
        inner.StatementAsync(days, beforeId, max, cancellationToken);

    public Task<IReadOnlyList<(DateOnly Month, MerchantCategory Category, long AmountFen)>> SpendAsync(HolderDays days, CancellationToken cancellationToken) =>
        inner.SpendAsync(days, cancellationToken);

    public Task<IReadOnlyList<HolderHotState>> HolderStatesAsync(BusinessDays businessDays, CancellationToken cancellationToken) => inner.HolderStatesAsync(businessDays, cancellationToken);

    public Task<IReadOnlyList<BankTopUp>> BankTopUpsAsync(short campus, int businessDay, CancellationToken cancellationToken) => inner.BankTopUpsAsync(campus, businessDay, cancellationToken);
}
