using System.Collections.Concurrent;
using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Decides one batch: resolves where each request's hot state lives, asks the journal what it already holds under
/// the batch's request ids (a retry whose hot record expired or was lost is answered from there, for ever), and
/// runs the hot store's decide. Every decided batch holds a slot until it is journaled.
/// </summary>
internal sealed class Decider(
    IHotStore hot, IJournal journal, Resolver resolver, SemaphoreSlim slots, ChannelWriter<DecidedWork> decided,
    ConcurrentQueue<string> acks, InFlightBatches inFlight, Recovery recovery, EngineStatus status,
    TimeProvider clock, BusinessCalendar calendar, EngineMetrics metrics, CancellationToken stopping, ILogger logger)
{
    private const int MaxAcksPerBatch = 1000;

    public async Task DecideAsync(PendingRequest[] batch)
    {
        await slots.WaitAsync();
        var requests = new ClearingRequest[batch.Length];
        for (var i = 0; i < batch.Length; i++) requests[i] = batch[i].Request;
        var taken = new List<string>();
        while (taken.Count < MaxAcksPerBatch && acks.TryDequeue(out var id)) taken.Add(id);
        DecidedBatch result;
        IReadOnlyList<JournalEntry> journaled;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var resolved = await resolver.ResolveAsync(requests);
            journaled = await journal.FindAsync(Keys(requests), CancellationToken.None);
            var now = clock.GetUtcNow();
            result = await hot.DecideAsync(resolved, now, calendar.DayNumber(now), taken, journaled);
        }
        catch (Exception e)
        {
            // The script may or may not have run: if it did, the outbox holds the batch and recovery journals it;
            // either way these callers get no answer, and a retry gets the first one.
            Log.DecideFailed(logger, e, batch.Length);
            foreach (var id in taken) acks.Enqueue(id);
            var unavailable = new EngineUnavailableException("the clearing engine could not decide the request now; retry with the same request_id");
            foreach (var p in batch) p.TrySetException(unavailable);
            slots.Release();
            status.Set(EngineState.Recovering);
            try
            {
                await recovery.RecoverAsync(stopping, rebuild: e is HotStoreLostWritesException);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            return;
        }
        metrics.Decided(batch.Length, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < batch.Length; i++)
            if (result.Results[i] is { Outcome: HotOutcome.New, Decision: { } d }) metrics.Decision(requests[i].Kind, d.Outcome);
        var work = new DecidedWork(batch, result, journaled.Select(e => (e.Request.Scope, e.Request.RequestId)).ToHashSet());
        inFlight.Add(work);
        decided.TryWrite(work);
    }

    private static HashSet<(string, string)> Keys(ClearingRequest[] requests)
    {
        var keys = new HashSet<(string, string)>();
        foreach (var r in requests)
        {
            keys.Add((r.Scope, r.RequestId));
            if (r.Kind == TransactionKind.Reversal) keys.Add((r.Scope, r.OriginalRequestId));
        }
        return keys;
    }
}
