using System.Collections.Concurrent;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Outbox entries now in the journal, per partition, waiting to be removed from their partition's outbox: with the
/// partition's next decide, or by the sweeper when none comes.
/// </summary>
internal sealed class OutboxAcks(int partitions)
{
    private readonly ConcurrentQueue<string>[] _pending = [.. Enumerable.Range(0, partitions).Select(_ => new ConcurrentQueue<string>())];

    public void Add(int partition, string outboxId) => _pending[partition].Enqueue(outboxId);

    /// <summary>Takes at most <paramref name="max"/> of the partition's; <see cref="Return"/> gives them back when they could not be removed.</summary>
    public List<string> Take(int partition, int max)
    {
        var taken = new List<string>();
        while (taken.Count < max && _pending[partition].TryDequeue(out var id)) taken.Add(id);
        return taken;
    }

    public void Return(int partition, IEnumerable<string> outboxIds)
    {
        foreach (var id in outboxIds) _pending[partition].Enqueue(id);
    }

    /// <summary>The partition's entries known to be journaled and not yet removed.</summary>
    public HashSet<string> Pending(int partition) => [.. _pending[partition]];
}
