using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Brings the hot store level with the journal: journals what is left in the outbox, then rebuilds the hot state
/// from the journal when the store is incomplete or its sequence is behind. Runs holding every slot for decided
/// batches, so nothing is decided or being journaled meanwhile, and retries until it succeeds.
/// </summary>
internal sealed class Recovery(
    IHotStore hot, IJournal journal, AgedRequests aged, Directory directory, SemaphoreSlim slots, EngineStatus status, EngineOptions options,
    TimeProvider clock, BusinessCalendar calendar, ILogger logger)
{
    private const int OutboxPage = 100;
    private readonly SemaphoreSlim _exclusive = new(1, 1);
    private readonly RetryPolicy _retry = new(options.JournalRetryMin, options.RecoveryRetryMax, clock);

    /// <param name="rebuild">Rebuild even if the sequence looks level: the hot store was found missing state (lost writes).</param>
    public async Task RecoverAsync(CancellationToken cancellationToken, bool rebuild = false)
    {
        await _exclusive.WaitAsync(cancellationToken);
        var held = 0;
        try
        {
            if (status.State != EngineState.Starting) status.Set(EngineState.Recovering);
            for (; held < options.MaxUnjournaledBatches; held++) await slots.WaitAsync(cancellationToken);
            await _retry.RunAsync(async () =>
            {
                await LevelAsync(rebuild, cancellationToken);
                return true;
            }, (e, delay) => Log.RecoveryFailed(logger, e, delay), cancellationToken);
            status.Set(EngineState.Ready);
        }
        finally
        {
            if (held > 0) slots.Release(held);
            _exclusive.Release();
        }
    }

    /// <summary>
    /// Runs a change made to the hot state beside the pipeline (a new holder) where no recovery can interleave with
    /// it: a rebuild from a snapshot taken before the change would erase it.
    /// </summary>
    /// <exception cref="EngineUnavailableException">The engine is not ready; nothing was run.</exception>
    public async Task<T> OutsideRecoveryAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await _exclusive.WaitAsync(cancellationToken);
        try
        {
            status.ThrowUnlessReady();
            return await change();
        }
        finally
        {
            _exclusive.Release();
        }
    }

    private async Task LevelAsync(bool rebuild, CancellationToken ct)
    {
        var journalMax = await journal.MaxTransactionIdAsync(ct);
        hot.HighWater = Math.Max(hot.HighWater, journalMax);
        var lost = rebuild;
        try
        {
            await DrainOutboxAsync(TimeSpan.Zero, ct);
        }
        catch (JournalConflictException e)
        {
            Log.LostWrites(logger, e);
            lost = true;
        }
        journalMax = await journal.MaxTransactionIdAsync(ct);
        var sequence = await hot.GetSequenceAsync();
        if (lost || sequence is null || sequence < journalMax)
        {
            Log.Rebuilding(logger, sequence, journalMax);
            var now = clock.GetUtcNow();
            var snapshot = await journal.SnapshotAsync(now, calendar.DayNumber(now), hot.IdempotencyWindow, ct);
            await hot.RestoreAsync(snapshot);
            foreach (var h in snapshot.Holders) directory.Remember(h.HolderId, h.PersonNo);
            Log.Rebuilt(logger, snapshot.Holders.Count, snapshot.RecentEntries.Count);
        }
        hot.HighWater = Math.Max(hot.HighWater, journalMax);
    }

    /// <summary>Journals and removes outbox batches at least <paramref name="minAge"/> old.</summary>
    public async Task DrainOutboxAsync(TimeSpan minAge, CancellationToken ct)
    {
        var written = 0;
        IReadOnlyList<OutboxBatch> batches;
        do
        {
            batches = await hot.ReadOutboxAsync(OutboxPage, minAge);
            foreach (var batch in batches)
            {
                var entries = await NamedByPersonAsync(batch.Entries, ct);
                await journal.AppendAsync(entries, ct);
                aged.Journaled(entries);
                await hot.AcknowledgeAsync([batch.OutboxId]);
                written++;
            }
        }
        while (batches.Count == OutboxPage);
        if (written > 0) Log.OutboxDrained(logger, written);
    }

    /// <summary>An entry written by the previous release names a person-addressed request's holder by id only.</summary>
    private async Task<IReadOnlyList<JournalEntry>> NamedByPersonAsync(IReadOnlyList<JournalEntry> entries, CancellationToken ct)
    {
        var named = new JournalEntry[entries.Count];
        for (var i = 0; i < named.Length; i++)
        {
            var (request, decision) = entries[i];
            if (request.Descriptor.Addressing == Addressing.Person && request.PersonNo.Length == 0)
            {
                var personNo = await directory.PersonNoAsync(decision.HolderId, ct)
                    ?? throw new InvalidOperationException($"outbox entry {decision.TransactionId} names holder {decision.HolderId}, who is not in the registry");
                request = request with { PersonNo = personNo };
            }
            named[i] = new JournalEntry(request, decision);
        }
        return named;
    }
}
