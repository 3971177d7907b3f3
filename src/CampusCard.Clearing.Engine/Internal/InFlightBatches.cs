using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// The transaction ids of batches decided but not yet in the journal, per partition, so that a retry answered from the
/// hot store waits for its original to be journaled before it is answered, and a partition's recovery waits for its
/// batches to settle; and the ids this instance journaled lately, so that a retry of one is answered without asking the
/// journal (a lookup per retry let a storm of retries load the database). A slot holds a whole id, so a yes is exact; an
/// id whose slot a later one took, or journaled by another instance or before a restart, is looked up.
/// </summary>
internal sealed class InFlightBatches
{
    private const int JournaledSlots = 1 << 17;

    private readonly List<Batch> _batches = [];
    private readonly long[] _journaled = new long[JournaledSlots];

    /// <summary>A work's ids: per partition its first and last, and when it was decided.</summary>
    private sealed record Batch(Dictionary<int, (long First, long Last)> Ids, Task Written, long DecidedAt);

    public int Count
    {
        get
        {
            lock (_batches) return _batches.Count;
        }
    }

    public void Add(DecidedWork work)
    {
        if (work.Entries.Count == 0) return;
        var ids = new Dictionary<int, (long First, long Last)>();
        foreach (var entry in work.Entries)
        {
            var id = entry.Decision.TransactionId;
            var partition = TransactionIds.PartitionOf(id);
            ids[partition] = ids.TryGetValue(partition, out var range) ? (Math.Min(range.First, id), Math.Max(range.Last, id)) : (id, id);
        }
        lock (_batches) _batches.Add(new Batch(ids, work.Written.Task, System.Diagnostics.Stopwatch.GetTimestamp()));
    }

    public void Remove(DecidedWork work)
    {
        lock (_batches) _batches.RemoveAll(b => b.Written == work.Written.Task);
    }

    /// <summary>How long the oldest batch has waited for the journal (zero when none waits).</summary>
    public TimeSpan OldestAge()
    {
        lock (_batches) return _batches.Count == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(_batches.Min(b => b.DecidedAt));
    }

    /// <summary>The first transaction id of the partition's oldest batch not yet journaled; null when none waits.</summary>
    public long? FirstUnjournaled(int partition)
    {
        lock (_batches)
        {
            long? first = null;
            foreach (var b in _batches)
                if (b.Ids.TryGetValue(partition, out var range) && (first is null || range.First < first)) first = range.First;
            return first;
        }
    }

    /// <summary>Whether a batch with decisions of the partition waits for the journal.</summary>
    public bool Holds(int partition)
    {
        lock (_batches) return _batches.Exists(b => b.Ids.ContainsKey(partition));
    }

    /// <summary>Called once the batch is in the journal, before it leaves the batches in flight.</summary>
    public void Journaled(DecidedWork work)
    {
        foreach (var entry in work.Entries)
            Volatile.Write(ref _journaled[Slot(entry.Decision.TransactionId)], entry.Decision.TransactionId);
    }

    /// <summary>Whether this instance journaled the transaction lately; false says nothing.</summary>
    public bool WasJournaled(long transactionId) => Volatile.Read(ref _journaled[Slot(transactionId)]) == transactionId;

    public Task? Find(long transactionId)
    {
        var partition = TransactionIds.PartitionOf(transactionId);
        lock (_batches)
        {
            foreach (var b in _batches)
                if (b.Ids.TryGetValue(partition, out var range) && transactionId >= range.First && transactionId <= range.Last) return b.Written;
        }
        return null;
    }

    /// <summary>Ids of one partition differ in their high bits: a multiplicative hash spreads them over the slots.</summary>
    private static int Slot(long transactionId) => (int)(((ulong)transactionId * 0x9E3779B97F4A7C15UL) >> (64 - 17));
}
