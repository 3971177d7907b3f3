using System.Collections.Concurrent;
using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Decides one batch: resolves where each request's hot state lives, asks the journal what it already holds under
/// the batch's request ids when it may hold one the hot store has let expire (a retry is answered from there, for
/// ever: <see cref="AgedRequests"/>), and runs the hot store's decide. The journal is asked while the batch before is in the hot store, which decides
/// batches one after another, in order. Every decided batch holds a slot until it is journaled.
/// </summary>
internal sealed class Decider(
    IHotStore hot, IJournal journal, AgedRequests aged, Resolver resolver, SemaphoreSlim slots, ChannelWriter<DecidedWork> decided,
    ConcurrentQueue<string> acks, InFlightBatches inFlight, Recovery recovery, EngineStatus status,
    TimeProvider clock, BusinessCalendar calendar, EngineMetrics metrics, CancellationToken stopping, ILogger logger)
{
    private const int MaxAcksPerBatch = 1000;

    /// <summary>
    /// Decides <paramref name="batch"/> once <paramref name="previous"/> is decided. The journal is asked first, without
    /// a slot: what it finds is what the hot store may lack, records past the idempotency window, and no recovery
    /// meanwhile changes that.
    /// </summary>
    public async Task DecideAsync(PendingRequest[] batch, Task previous)
    {
        var requests = new ClearingRequest[batch.Length];
        for (var i = 0; i < batch.Length; i++) requests[i] = batch[i].Request;
        HotRequest[] resolved;
        IReadOnlyList<JournalEntry> journaled;
        try
        {
            resolved = await resolver.ResolveAsync(requests);
            var keys = Keys(requests);
            journaled = aged.MayBeJournaled(keys) ? await FindAsync(keys) : [];
        }
        catch (Exception e)
        {
            await previous;
            await FailAsync(batch, e);
            return;
        }
        await previous;
        await slots.WaitAsync();
        var taken = new List<string>();
        while (taken.Count < MaxAcksPerBatch && acks.TryDequeue(out var id)) taken.Add(id);
        DecidedBatch result;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var now = clock.GetUtcNow();
            result = await hot.DecideAsync(resolved, now, calendar.DayNumber(now), taken, journaled);
        }
        catch (Exception e)
        {
            foreach (var id in taken) acks.Enqueue(id);
            slots.Release();
            await FailAsync(batch, e);
            return;
        }
        metrics.Decided(batch.Length, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < batch.Length; i++)
            if (result.Results[i] is { Outcome: HotOutcome.New, Decision: { } d }) metrics.Decision(requests[i].Kind, d.Outcome);
        var work = new DecidedWork(batch, result, journaled.Select(e => (e.Request.Scope, e.Request.RequestId)).ToHashSet());
        inFlight.Add(work);
        decided.TryWrite(work);
    }

    private Task<IReadOnlyList<JournalEntry>> FindAsync(HashSet<(string, string)> keys)
    {
        metrics.JournalLookup();
        return journal.FindAsync(keys, CancellationToken.None);
    }

    /// <summary>
    /// The script may or may not have run: if it did, the outbox holds the batch and recovery journals it; either way
    /// these callers get no answer, and a retry gets the first one.
    /// </summary>
    private async Task FailAsync(PendingRequest[] batch, Exception e)
    {
        Log.DecideFailed(logger, e, batch.Length);
        var unavailable = new EngineUnavailableException(ErrorReason.EngineRecovering, "the clearing engine could not decide the request now; retry with the same request_id");
        foreach (var p in batch) p.TrySetException(unavailable);
        status.Set(EngineState.Recovering);
        try
        {
            await recovery.RecoverAsync(stopping, rebuild: e is HotStoreLostWritesException);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private static HashSet<(string, string)> Keys(ClearingRequest[] requests)
    {
        var keys = new HashSet<(string, string)>();
        foreach (var r in requests)
        {
            keys.Add((r.Scope, r.RequestId));
            if (r.Descriptor.ActsOnOriginal) keys.Add((r.Scope, r.OriginalRequestId));
        }
        return keys;
    }
}
