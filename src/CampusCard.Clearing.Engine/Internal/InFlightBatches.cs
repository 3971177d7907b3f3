namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// The transaction-id ranges of batches decided but not yet in the journal, so that a retry
/// answered from the hot store waits for its original to be journaled before it is answered.
/// </summary>
internal sealed class InFlightBatches
{
    private readonly List<(long First, long Last, Task Journaled)> _batches = [];

    public void Add(long first, long last, Task journaled)
    {
        lock (_batches) _batches.Add((first, last, journaled));
    }

    public void Remove(Task journaled)
    {
        lock (_batches) _batches.RemoveAll(b => b.Journaled == journaled);
    }

    public Task? Find(long transactionId)
    {
        lock (_batches)
        {
            foreach (var b in _batches)
                if (transactionId >= b.First && transactionId <= b.Last) return b.Journaled;
        }
        return null;
    }
}
