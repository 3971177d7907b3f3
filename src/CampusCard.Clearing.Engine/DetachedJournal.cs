using System.Runtime.CompilerServices;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The journal as the service uses it: a cancellation token ends the wait for a statement, never the statement, which
/// runs on to the database's answer or its own timeout (the connection string's Command Timeout). The tokens the
/// service holds are mostly callers' (a deadline, a dropped connection), and none may reach the database driver:
/// cancelling an Npgsql statement sends PostgreSQL a cancel request on a new connection and waits for it on the
/// cancelling thread. After a PostgreSQL stall, the cancellations of callers who left and the socket threads (running
/// completions inline) waited for each other until Npgsql's timeouts let go, 24–54 s in which the service answered
/// nothing, health included (issue 24; docs/performance.md, Stalls). A read many callers wait on (a terminal's
/// registration) is shared by all of them and cancelled by none (<see cref="Directory"/>).
/// </summary>
public sealed class DetachedJournal(IJournal inner) : IJournal
{
    public IJournal Inner => inner;

    public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) =>
        inner.AppendAsync(entries, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken) =>
        inner.MaxTransactionIdAsync(CancellationToken.None).WaitAsync(cancellationToken);

    public Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken) =>
        inner.ContainsAsync(transactionId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> FindAsync(IReadOnlyCollection<(string Scope, string RequestId)> keys, CancellationToken cancellationToken) =>
        inner.FindAsync(keys, CancellationToken.None).WaitAsync(cancellationToken);

    /// <summary>The token is looked at between keys; a reader left early reads the rest of its rows as it closes.</summary>
    public async IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(
        DateTimeOffset from, DateTimeOffset before, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var key in inner.ReadRequestKeysAsync(from, before, CancellationToken.None))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }
    }

    public Task<long> CountRequestKeysAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        inner.CountRequestKeysAsync(before, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<CardStateRow>> ReadCardStatesAsync(long afterTransactionId, long throughTransactionId, bool newestOnly, int maxChanges, CancellationToken cancellationToken) =>
        inner.ReadCardStatesAsync(afterTransactionId, throughTransactionId, newestOnly, maxChanges, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<HotSnapshot> SnapshotAsync(Partitioning partitioning, int partition, DateTimeOffset now, BusinessDays businessDays, TimeSpan idempotencyWindow,
        CancellationToken cancellationToken) =>
        inner.SnapshotAsync(partitioning, partition, now, businessDays, idempotencyWindow, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<bool> HoldsAfterAsync(int partition, long afterId, CancellationToken cancellationToken) =>
        inner.HoldsAfterAsync(partition, afterId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<ExpiredHold>> ExpiredHoldsAsync(DateTimeOffset since, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        inner.ExpiredHoldsAsync(since, now, max, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<AutoTopUpRequest>> OpenAutoTopUpsAsync(long afterId, long throughId, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        inner.OpenAutoTopUpsAsync(afterId, throughId, now, max, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyDictionary<long, string>> OfflineCardsAsync(short campus, string terminalId, IReadOnlyCollection<long> terminalSeqs, CancellationToken cancellationToken) =>
        inner.OfflineCardsAsync(campus, terminalId, terminalSeqs, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<MerchantDay>> MerchantDaysAsync(short campus, int businessDay, long throughTransactionId, CancellationToken cancellationToken) =>
        inner.MerchantDaysAsync(campus, businessDay, throughTransactionId, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<StatementLine>> StatementAsync(HolderDays days, long beforeId, int max, CancellationToken cancellationToken) =>
        inner.StatementAsync(days, beforeId, max, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<(DateOnly Month, MerchantCategory Category, long AmountFen)>> SpendAsync(HolderDays days, CancellationToken cancellationToken) =>
        inner.SpendAsync(days, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<HolderHotState>> HolderStatesAsync(BusinessDays businessDays, CancellationToken cancellationToken) =>
        inner.HolderStatesAsync(businessDays, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<BankTopUp>> BankTopUpsAsync(short campus, int businessDay, CancellationToken cancellationToken) =>
        inner.BankTopUpsAsync(campus, businessDay, CancellationToken.None).WaitAsync(cancellationToken);

    public Task<IReadOnlyList<string>> SubsidizedPersonsAsync(short campus, string batchId, CancellationToken cancellationToken) =>
        inner.SubsidizedPersonsAsync(campus, batchId, CancellationToken.None).WaitAsync(cancellationToken);
}
