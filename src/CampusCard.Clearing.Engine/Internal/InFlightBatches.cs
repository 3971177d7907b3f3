namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// The transaction-id ranges of batches decided but not yet in the journal, so that a retry answered from the hot
/// store waits for its original to be journaled before it is answered.
/// </summary>
internal sealed class InFlightBatches
{
    private readonly List<(long First, long Last, Task Written, long DecidedAt)> _batches = [];

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
