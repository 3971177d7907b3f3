using System.Runtime.CompilerServices;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine.Placement;

/// <summary>
/// The journal of a deployment whose campuses are spread over several databases (<see cref="JournalPlacement"/>), as one
/// journal: what concerns a campus goes to its database, a partition's reads to the partition's, a transaction's to its
/// partition's, a holder's to the one its id names; what spans the deployment is asked of every database and merged.
/// A write is split by database, each part one database transaction: a partition belongs to one database, so its share
/// of a batch is journaled whole, which the outbox's acknowledgement relies on; a write retried after some parts
/// committed stores the rest (each database's append is idempotent by transaction id). Every row read from a database
/// places its campus there (a campus's rows are in its database only), so an instance that did not see a campus created
/// can still find its partitions when it rebuilds them.
/// </summary>
public sealed class PlacedJournal(JournalDatabases databases) : IJournal
{
    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        var parts = entries.GroupBy(e => databases.OfCampus(e.Request.Campus)).ToList();
        if (parts.Count == 1)
        {
            await parts[0].Key.Journal.AppendAsync(entries, cancellationToken);
            return;
        }
        await Task.WhenAll(parts.Select(part => part.Key.Journal.AppendAsync([.. part], cancellationToken)));
    }

    public async Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken) =>
        (await EachAsync(d => d.Journal.MaxTransactionIdAsync(cancellationToken))).Max();

    public Task<bool> HoldsAfterAsync(int partition, long afterId, CancellationToken cancellationToken) =>
        databases.OfPartition(partition).Journal.HoldsAfterAsync(partition, afterId, cancellationToken);

    public Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken) =>
        databases.OfTransaction(transactionId).Journal.ContainsAsync(transactionId, cancellationToken);

    public async Task<IReadOnlyList<JournalEntry>> FindAsync(IReadOnlyCollection<(string Scope, string RequestId)> keys, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(keys.GroupBy(k => databases.OfCampus(Campuses.Unqualify(k.Scope).Campus))
            .Select(part => part.Key.Journal.FindAsync([.. part], cancellationToken)));
        return [.. found.SelectMany(f => f).OrderBy(e => e.Decision.TransactionId)];
    }

    public async IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(
        DateTimeOffset from, DateTimeOffset before, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var database in databases.All)
            await foreach (var key in database.Journal.ReadRequestKeysAsync(from, before, cancellationToken)) yield return key;
    }

    public async Task<long> CountRequestKeysAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        (await EachAsync(d => d.Journal.CountRequestKeysAsync(before, cancellationToken))).Sum();

    /// <summary>Each database's first <paramref name="maxChanges"/> changes, merged in transaction order and cut at as many: the first of them all.</summary>
    public async Task<IReadOnlyList<CardStateRow>> ReadCardStatesAsync(
        long afterTransactionId, long throughTransactionId, bool newestOnly, int maxChanges, CancellationToken cancellationToken)
    {
        var rows = await ReadEachAsync(d => d.Journal.ReadCardStatesAsync(afterTransactionId, throughTransactionId, newestOnly, maxChanges, cancellationToken), r => r.Holder.Campus);
        var changes = rows.Select(r => r.TransactionId).Distinct().Order().Take(maxChanges).ToHashSet();
        return [.. rows.Where(r => changes.Contains(r.TransactionId)).OrderBy(r => r.TransactionId).ThenBy(r => r.CardIndex)];
    }

    /// <summary>
    /// The partition from its database, which sees its partitions as a partitioning of its own (<see cref="Partitioning.Local"/>).
    /// The sequence starts above every id of every database: ids stay unique across them, also for a partition whose
    /// database changed when a database was added (its earlier ids are in the database that owned it before).
    /// </summary>
    public async Task<HotSnapshot> SnapshotAsync(Partitioning partitioning, int partition, DateTimeOffset now, BusinessDays businessDays, TimeSpan idempotencyWindow,
        CancellationToken cancellationToken)
    {
        var database = databases.OfPartition(partition);
        var snapshot = await database.Journal.SnapshotAsync(partitioning.Local(), partitioning.LocalPartition(partition), now, businessDays, idempotencyWindow, cancellationToken);
        foreach (var holder in snapshot.Holders) databases.Found(holder.Campus, database);
        foreach (var entry in snapshot.RecentEntries) databases.Found(entry.Request.Campus, database);
        var newest = TransactionIds.SequenceOf(await MaxTransactionIdAsync(cancellationToken));
        return newest > snapshot.Sequence ? snapshot with { Sequence = newest } : snapshot;
    }

    /// <summary>Each database's oldest <paramref name="max"/>, at most <paramref name="max"/> of them all: what is left is read at the next call.</summary>
    public async Task<IReadOnlyList<ExpiredHold>> ExpiredHoldsAsync(DateTimeOffset since, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        [.. (await ReadEachAsync(d => d.Journal.ExpiredHoldsAsync(since, now, max, cancellationToken), h => h.Campus)).Take(max)];

    public async Task<IReadOnlyList<AutoTopUpRequest>> OpenAutoTopUpsAsync(long afterId, long throughId, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        [.. (await ReadEachAsync(d => d.Journal.OpenAutoTopUpsAsync(afterId, throughId, now, max, cancellationToken), r => r.Campus)).OrderBy(r => r.Id).Take(max)];

    public Task<IReadOnlyDictionary<long, string>> OfflineCardsAsync(short campus, string terminalId, IReadOnlyCollection<long> terminalSeqs, CancellationToken cancellationToken) =>
        databases.OfCampus(campus).Journal.OfflineCardsAsync(campus, terminalId, terminalSeqs, cancellationToken);

    public Task<IReadOnlyList<MerchantDay>> MerchantDaysAsync(short campus, int businessDay, long throughTransactionId, CancellationToken cancellationToken) =>
        databases.OfCampus(campus).Journal.MerchantDaysAsync(campus, businessDay, throughTransactionId, cancellationToken);

    public Task<IReadOnlyList<StatementLine>> StatementAsync(HolderDays days, long beforeId, int max, CancellationToken cancellationToken) =>
        databases.OfId(days.HolderId).Journal.StatementAsync(days, beforeId, max, cancellationToken);

    public Task<IReadOnlyList<(DateOnly Month, MerchantCategory Category, long AmountFen)>> SpendAsync(HolderDays days, CancellationToken cancellationToken) =>
        databases.OfId(days.HolderId).Journal.SpendAsync(days, cancellationToken);

    /// <summary>Every database's, one after another: in holder id order, since a database's ids are above those of the databases numbered before it.</summary>
    public async Task<IReadOnlyList<HolderHotState>> HolderStatesAsync(BusinessDays businessDays, CancellationToken cancellationToken) =>
        await ReadEachAsync(d => d.Journal.HolderStatesAsync(businessDays, cancellationToken), h => h.Campus);

    public Task<IReadOnlyList<BankTopUp>> BankTopUpsAsync(short campus, int businessDay, CancellationToken cancellationToken) =>
        databases.OfCampus(campus).Journal.BankTopUpsAsync(campus, businessDay, cancellationToken);

    public Task<IReadOnlyList<string>> SubsidizedPersonsAsync(short campus, string batchId, CancellationToken cancellationToken) =>
        databases.OfCampus(campus).Journal.SubsidizedPersonsAsync(campus, batchId, cancellationToken);

    private Task<T[]> EachAsync<T>(Func<JournalDatabase, Task<T>> read) => Task.WhenAll(databases.All.Select(read));

    /// <summary>Every database's rows, in database order, each placing its campus in the database it came from.</summary>
    private async Task<List<T>> ReadEachAsync<T>(Func<JournalDatabase, Task<IReadOnlyList<T>>> read, Func<T, short> campusOf)
    {
        var parts = await EachAsync(read);
        var rows = new List<T>();
        for (var i = 0; i < parts.Length; i++)
        {
            foreach (var row in parts[i]) databases.Found(campusOf(row), databases.All[i]);
            rows.AddRange(parts[i]);
        }
        return rows;
    }
}
