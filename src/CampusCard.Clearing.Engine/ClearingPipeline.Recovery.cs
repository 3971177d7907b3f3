using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

public sealed partial class ClearingPipeline
{
    private readonly SemaphoreSlim _recovery = new(1, 1);

    /// <summary>
    /// Brings the hot store level with the journal: writes what is left in the outbox, then rebuilds
    /// the hot state from the journal when the store is empty or its sequence is behind. Runs with
    /// every slot for decided batches held, so nothing is decided or being journaled meanwhile. Retries until it succeeds.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await _recovery.WaitAsync(cancellationToken);
        var held = 0;
        try
        {
            if (_state != EngineState.Starting) SetState(EngineState.Recovering);
            for (; held < _options.MaxUnjournaledBatches; held++) await _unjournaled.WaitAsync(cancellationToken);
            var delay = _options.JournalRetryMin;
            while (true)
            {
                try
                {
                    await LevelAsync(cancellationToken);
                    break;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    Log.RecoveryFailed(_logger, e, delay);
                    await Task.Delay(delay, _clock, cancellationToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.JournalRetryMax.Ticks));
                }
            }
            SetState(EngineState.Ready);
        }
        finally
        {
            if (held > 0) _unjournaled.Release(held);
            _recovery.Release();
        }
    }

    /// <summary>
    /// Runs a change made to the hot state beside the pipeline (a new holder) where no recovery can
    /// interleave with it: a rebuild from a snapshot taken before the change would erase it.
    /// </summary>
    /// <exception cref="EngineUnavailableException">The engine is not ready; nothing was run.</exception>
    public async Task<T> OutsideRecoveryAsync<T>(Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await _recovery.WaitAsync(cancellationToken);
        try
        {
            var state = _state;
            if (state != EngineState.Ready) throw new EngineUnavailableException(Unavailable(state));
            return await change();
        }
        finally
        {
            _recovery.Release();
        }
    }

    private async Task LevelAsync(CancellationToken ct)
    {
        var journalMax = await _journal.MaxTransactionIdAsync(ct);
        _hot.HighWater = Math.Max(_hot.HighWater, journalMax);
        var lost = false;
        try
        {
            await DrainOutboxAsync(TimeSpan.Zero, ct);
        }
        catch (JournalConflictException e)
        {
            Log.LostWrites(_logger, e);
            lost = true;
        }
        journalMax = await _journal.MaxTransactionIdAsync(ct);
        var sequence = await _hot.GetSequenceAsync();
        if (lost || sequence is null || sequence < journalMax)
        {
            Log.Rebuilding(_logger, sequence, journalMax);
            var now = _clock.GetUtcNow();
            var snapshot = await _journal.SnapshotAsync(now, _calendar.DayNumber(now), _hot.IdempotencyWindow, ct);
            await _hot.RestoreAsync(snapshot);
            Log.Rebuilt(_logger, snapshot.Holders.Count, snapshot.RecentEntries.Count);
        }
        _hot.HighWater = Math.Max(_hot.HighWater, journalMax);
    }

    /// <summary>Journals and removes outbox batches at least <paramref name="minAge"/> old.</summary>
    private async Task DrainOutboxAsync(TimeSpan minAge, CancellationToken ct)
    {
        const int page = 100;
        var written = 0;
        IReadOnlyList<OutboxBatch> batches;
        do
        {
            batches = await _hot.ReadOutboxAsync(page, minAge);
            foreach (var batch in batches)
            {
                await _journal.AppendAsync(batch.Entries, ct);
                await _hot.AcknowledgeAsync([batch.OutboxId]);
                written++;
            }
        }
        while (batches.Count == page);
        if (written > 0) Log.OutboxDrained(_logger, written);
    }

    /// <summary>Journals what a crashed instance or a lost connection left in the outbox.</summary>
    private async Task RunSweeperAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.OutboxSweepInterval, _clock, stopping);
                if (_state != EngineState.Ready) continue;
                var ids = new List<string>();
                while (_acks.TryDequeue(out var id)) ids.Add(id);
                await _hot.AcknowledgeAsync(ids);
                await DrainOutboxAsync(_options.OutboxSweepAge, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (JournalConflictException)
            {
                await RecoverAsync(stopping);
            }
            catch (Exception e)
            {
                Log.SweepFailed(_logger, e);
            }
        }
    }
}
