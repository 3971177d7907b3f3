namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// The transaction-id ranges of batches decided but not yet in the journal, so that a retry answered from the hot
/// store waits for its original to be journaled before it is answered; and the ids this instance journaled lately, so
/// that a retry of one is answered without asking the journal (a lookup per retry let a storm of retries load the
/// database). A slot holds a whole id, so a yes is exact; an id whose slot a later one took, or journaled by another
/// instance or before a restart, is looked up.
/// </summary>
internal sealed class InFlightBatches
{
    private const int JournaledSlots = 1 << 17;

    private readonly List<(long First, long Last, Task Written, long DecidedAt)> _batches = [];
    private readonly long[] _journaled = new long[JournaledSlots];

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
        lock (_batches) _batches.Add((work.Entries[0].Decision.TransactionId, work.Entries[^1].Decision.TransactionId, work.Written.Task, System.Diagnostics.Stopwatch.GetTimestamp()));
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

    /// <summary>The first transaction id of the oldest batch not yet journaled; null when none waits.</summary>
    public long? FirstUnjournaled()
    {
        lock (_batches) return _batches.Count == 0 ? null : _batches.Min(b => b.First);
    }

    /// <summary>Called once the batch is in the journal, before it leaves the batches in flight.</summary>
    public void Journaled(DecidedWork work)
    {
        foreach (var entry in work.Entries)
            Volatile.Write(ref _journaled[entry.Decision.TransactionId & (JournaledSlots - 1)], entry.Decision.TransactionId);
    }

    /// <summary>Whether this instance journaled the transaction lately; false says nothing.</summary>
    public bool WasJournaled(long transactionId) => Volatile.Read(ref _journaled[transactionId & (JournaledSlots - 1)]) == transactionId;

    public Task? Find(long transactionId)
    {
        lock (_batches)
        {
            foreach (var b in _batches)
                if (transactionId >= b.First && transactionId <= b.Last) return b.Written;
        }
        return null;
    }
}
