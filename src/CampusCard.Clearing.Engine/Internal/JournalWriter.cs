using System.Collections.Concurrent;
using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Group commit: each write takes every decided batch waiting into one database transaction, and only then are its
/// callers answered. A second write starts beside a running one only when it has a large batch of its own; small
/// ones wait and join the next, since splitting them costs more commits than it saves in waiting. A decision is
/// never undone: a failed write is retried until it succeeds, and meanwhile nothing new is admitted.
/// </summary>
internal sealed class JournalWriter(
    IDecisionJournal journal, AgedRequests aged, ChannelReader<DecidedWork> decided, SemaphoreSlim slots, OutboxAcks acks,
    InFlightBatches inFlight, Answers answers, Recovery recovery, EngineStatus status, EngineOptions options,
    TimeProvider clock, EngineMetrics metrics, CancellationToken stopping, ILogger logger)
{
    private readonly RetryPolicy _retry = new(options.JournalRetryMin, options.JournalRetryMax, clock);

    public async Task RunAsync()
    {
        var writes = new List<Task>();
        var works = new List<DecidedWork>();
        var entries = new List<JournalEntry>();
        Task<bool>? more = null;
        var open = true;
        while (open || works.Count > 0 || writes.Count > 0)
        {
            while (entries.Count < options.MaxJournalBatch && decided.TryRead(out var work))
            {
                works.Add(work);
                entries.AddRange(work.Entries);
            }
            var worthAWrite = writes.Count == 0 || entries.Count >= options.ParallelJournalBatch || !open;
            if (works.Count > 0 && worthAWrite && writes.Count < options.JournalConcurrency)
            {
                writes.Add(WriteAndAnswerAsync(works, entries));
                (works, entries) = ([], []);
                continue;
            }
            if (open && entries.Count < options.MaxJournalBatch) more ??= decided.WaitToReadAsync().AsTask();
            await Task.WhenAny(open && more is not null ? [.. writes, more] : writes);
            if (writes.Find(w => w.IsFaulted) is { } failed) await failed;
            writes.RemoveAll(w => w.IsCompleted);
            if (more is { IsCompleted: true })
            {
                open = await more;
                more = null;
            }
        }
    }

    private async Task WriteAndAnswerAsync(List<DecidedWork> works, List<JournalEntry> entries)
    {
        if (recovery.AnyLostWrites) (works, entries) = DropDecidedOnLostState(works, entries);
        if (works.Count == 0) return;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _retry.RunAsync(async () =>
            {
                await journal.AppendAsync(entries, stopping);
                aged.Journaled(entries);
                return true;
            }, (e, delay) => Failed(e, delay, entries.Count), stopping);
            metrics.Written(entries.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (status.State == EngineState.JournalFailing) status.Set(EngineState.Ready);
            foreach (var work in works)
            {
                answers.Answer(work);
                foreach (var (partition, outboxId) in work.Outboxes) acks.Add(partition, outboxId);
            }
        }
        catch (JournalConflictException e)
        {
            // Not answered, so not lost: the conflicting partition is rebuilt from what the journal holds, and the others'
            // decisions of these batches, still in their outboxes, are journaled by their partitions' recovery.
            var conflicting = TransactionIds.PartitionOf(e.TransactionId);
            Log.LostWrites(logger, e, conflicting);
            foreach (var work in works) work.Fail(Lost);
            foreach (var partition in works.SelectMany(w => w.Partitions).Distinct())
                recovery.Request(partition, partition == conflicting ? Loss.Found : Loss.None, stopping);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopped before the journal came back (cut off while waiting, or by a write that failed after the stop): the
            // batches stay in the outbox, unanswered, for the next start.
            var stopped = EngineStatus.Unavailable(EngineState.Stopped);
            foreach (var work in works) work.Fail(stopped);
        }
        finally
        {
            foreach (var work in works) inFlight.Remove(work);
            slots.Release(works.Count);
        }
    }

    private static readonly EngineUnavailableException Lost =
        new(ErrorReason.EngineRecovering, "the hot store lost writes before this decision; retry with the same request_id");

    /// <summary>
    /// Works with a decision in a partition that lost writes were decided on state the journal contradicts: never
    /// answered, they are dropped; their shares in other partitions, still in those outboxes, are journaled by those
    /// partitions' recovery (each request stands alone).
    /// </summary>
    private (List<DecidedWork>, List<JournalEntry>) DropDecidedOnLostState(List<DecidedWork> works, List<JournalEntry> entries)
    {
        var stale = works.FindAll(w => w.Partitions.Any(recovery.LostWrites));
        if (stale.Count == 0) return (works, entries);
        foreach (var work in stale)
        {
            work.Fail(Lost);
            inFlight.Remove(work);
        }
        slots.Release(stale.Count);
        Log.DroppedStaleBatches(logger, stale.Count);
        foreach (var partition in stale.SelectMany(w => w.Partitions).Distinct()) recovery.Request(partition, Loss.None, stopping);
        var kept = works.Except(stale).ToList();
        return (kept, [.. kept.SelectMany(w => w.Entries)]);
    }

    private void Failed(Exception e, TimeSpan delay, int count)
    {
        if (e is JournalConflictException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        // A write cut off by the stop, or failing when it came: the batch stays in the outbox.
        if (stopping.IsCancellationRequested) throw new OperationCanceledException("stopped before the journal took the batch", e, stopping);
        if (status.State == EngineState.Ready) status.Set(EngineState.JournalFailing);
        Log.JournalRetry(logger, e, count, delay);
    }
}
