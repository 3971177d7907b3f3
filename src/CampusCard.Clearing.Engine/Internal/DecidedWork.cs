using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// A batch the hot store decided, partition by partition, waiting for the journal before its callers are answered. A
/// partition whose share could not be decided left its callers refused: they are not in the work.
/// </summary>
internal sealed class DecidedWork
{
    /// <param name="requests">Each request as it was decided, in the order of <paramref name="batch"/>: with what resolving it found (<see cref="ClearingRequest.HolderCampus"/>).</param>
    public DecidedWork(PendingRequest[] batch, ClearingRequest[] requests, HotResult[] results, IReadOnlyList<(int Partition, string OutboxId)> outboxes,
        IReadOnlySet<(string, string)> journaled)
    {
        Batch = batch;
        Results = results;
        Outboxes = outboxes;
        Journaled = journaled;
        for (var i = 0; i < batch.Length; i++)
            if (results[i].Outcome == HotOutcome.New) Entries.Add(new JournalEntry(requests[i], results[i].Decision!));
    }

    public PendingRequest[] Batch { get; }

    /// <summary>Each request's result, in the order of <see cref="Batch"/>.</summary>
    public HotResult[] Results { get; }

    /// <summary>Each partition's outbox entry of the batch, removed once the batch is in the journal.</summary>
    public IReadOnlyList<(int Partition, string OutboxId)> Outboxes { get; }

    /// <summary>The (scope, request id) pairs the journal already held when the batch was decided: their retries are answered at once.</summary>
    public IReadOnlySet<(string, string)> Journaled { get; }

    /// <summary>The decisions made now; retries and conflicts are not journaled again.</summary>
    public List<JournalEntry> Entries { get; } = [];

    /// <summary>The partitions whose decisions the work holds.</summary>
    public IEnumerable<int> Partitions => Entries.Select(e => TransactionIds.PartitionOf(e.Decision.TransactionId)).Distinct();

    /// <summary>Completes once <see cref="Entries"/> are in the journal; retries of them wait on it.</summary>
    public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Fail(Exception error)
    {
        Written.TrySetException(error);
        foreach (var p in Batch) p.TrySetException(error);
    }
}
