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
            // A first start (an empty journal, a hot store never written) only marks the hot store: nothing was lost.
            if (!lost && sequence is null && journalMax == 0) Log.FirstStart(logger);
            else Log.Rebuilding(logger, sequence, journalMax);
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
                await journal.AppendAsync(batch.Entries, ct);
                aged.Journaled(batch.Entries);
                await hot.AcknowledgeAsync([batch.OutboxId]);
                written++;
            }
        }
        while (batches.Count == OutboxPage);
        if (written > 0) Log.OutboxDrained(logger, written);
    }
}
