using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>A batch the hot store decided, waiting for the journal before its callers are answered.</summary>
internal sealed class DecidedWork
{
    public DecidedWork(PendingRequest[] batch, DecidedBatch decided, IReadOnlySet<(string, string)> journaled)
    {
        Batch = batch;
        Decided = decided;
        Journaled = journaled;
        for (var i = 0; i < batch.Length; i++)
            if (decided.Results[i].Outcome == HotOutcome.New) Entries.Add(new JournalEntry(batch[i].Request, decided.Results[i].Decision!));
    }

    public PendingRequest[] Batch { get; }
    public DecidedBatch Decided { get; }

    /// <summary>The (scope, request id) pairs the journal already held when the batch was decided: their retries are answered at once.</summary>
    public IReadOnlySet<(string, string)> Journaled { get; }

    /// <summary>The decisions made now; retries and conflicts are not journaled again.</summary>
    public List<JournalEntry> Entries { get; } = [];

    /// <summary>Completes once <see cref="Entries"/> are in the journal; retries of them wait on it.</summary>
    public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Fail(Exception error)
    {
        Written.TrySetException(error);
        foreach (var p in Batch) p.TrySetException(error);
    }
}
