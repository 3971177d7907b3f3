using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Decides one batch: resolves where each request's hot state lives, asks the journal what it already holds under
/// the batch's request ids when it may hold one the hot store has let expire (a retry is answered from there, for
/// ever: <see cref="AgedRequests"/>), and runs the hot store's decide once per partition the batch touches, the
/// partitions at once (once per partition and business day: campuses in other time zones may be on another day). The journal is asked while the batch before is in the hot store, which decides batches one after
/// another, in order. Every decided batch holds a slot until it is journaled.
/// </summary>
internal sealed class Decider(
    IHotStore hot, IDecisionJournal journal, AgedRequests aged, Resolver resolver, SemaphoreSlim slots, ChannelWriter<DecidedWork> decided,
    OutboxAcks acks, InFlightBatches inFlight, Recovery recovery, TimeProvider clock, CampusRulesBook campuses, EngineMetrics metrics,
    CancellationToken stopping, ILogger logger)
{
    private const int MaxAcksPerDecide = 1000;

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
            // Nothing was decided: the callers are told to send again.
            await previous;
            Fail(batch, e);
            return;
        }
        await previous;
        await slots.WaitAsync();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = clock.GetUtcNow();
        var shares = Shares(batch, resolved, now);
        var outcomes = await Task.WhenAll(shares.Select(s => DecideShareAsync(s.Key.Partition, s.Value, resolved, now, s.Key.Day, journaled)));
        var results = new List<HotResult>(batch.Length);
        var taken = new List<PendingRequest>(batch.Length);
        var decidedRequests = new List<ClearingRequest>(batch.Length);
        var outboxes = new List<(int, string)>();
        foreach (var (partition, indices, share) in outcomes)
        {
            if (share is null)
            {
                foreach (var i in indices) batch[i].TrySetException(Unavailable);
                continue;
            }
            if (share.OutboxId is { } outboxId) outboxes.Add((partition, outboxId));
            for (var j = 0; j < indices.Count; j++)
            {
                taken.Add(batch[indices[j]]);
                decidedRequests.Add(resolved[indices[j]].Request);
                results.Add(share.Results[j]);
                if (share.Results[j] is { Outcome: HotOutcome.New, Decision: { } d }) metrics.Decision(batch[indices[j]].Request.Kind, d.Outcome);
            }
        }
        if (taken.Count == 0)
        {
            slots.Release();
            return;
        }
        metrics.Decided(taken.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        var work = new DecidedWork([.. taken], [.. decidedRequests], [.. results], outboxes, journaled.Select(e => (e.Request.Scope, e.Request.RequestId)).ToHashSet());
        inFlight.Add(work);
        decided.TryWrite(work);
    }

    /// <summary>
    /// The batch's requests by partition and business day (of their campuses at <paramref name="now"/>), as indices into the
    /// batch; a partition being recovered refuses its own at once.
    /// </summary>
    private Dictionary<(int Partition, int Day), List<int>> Shares(PendingRequest[] batch, HotRequest[] resolved, DateTimeOffset now)
    {
        var shares = new Dictionary<(int, int), List<int>>();
        for (var i = 0; i < resolved.Length; i++)
        {
            var partition = hot.PartitionOf(resolved[i].Target);
            if (recovery.IsRecovering(partition))
            {
                batch[i].TrySetException(EngineStatus.Unavailable(EngineState.Recovering));
                continue;
            }
            var day = campuses.At(resolved[i].Request.Campus, now).Calendar.DayNumber(now);
            if (!shares.TryGetValue((partition, day), out var indices)) shares[(partition, day)] = indices = [];
            indices.Add(i);
        }
        return shares;
    }

    /// <summary>
    /// One partition's share, or null when it could not be decided. The script may or may not have run then: if it did, the
    /// outbox holds the share and the partition's recovery journals it; either way its callers get no answer, and a retry
    /// gets the first one.
    /// </summary>
    private async Task<(int Partition, List<int> Indices, DecidedBatch? Share)> DecideShareAsync(
        int partition, List<int> indices, HotRequest[] resolved, DateTimeOffset now, int day, IReadOnlyList<JournalEntry> journaled)
    {
        var taken = acks.Take(partition, MaxAcksPerDecide);
        try
        {
            return (partition, indices, await hot.DecideAsync(partition, [.. indices.Select(i => resolved[i])], now, day, taken, journaled));
        }
        catch (Exception e)
        {
            acks.Return(partition, taken);
            Log.DecideFailed(logger, e, partition, indices.Count);
            recovery.Request(partition, Recovery.LossOf(e), stopping);
            return (partition, indices, null);
        }
    }

    private static readonly EngineUnavailableException Unavailable =
        new(ErrorReason.EngineRecovering, "the clearing engine could not decide the request now; retry with the same request_id");

    private Task<IReadOnlyList<JournalEntry>> FindAsync(HashSet<(string, string)> keys)
    {
        metrics.JournalLookup();
        return journal.FindAsync(keys, CancellationToken.None);
    }

    private void Fail(PendingRequest[] batch, Exception e)
    {
        Log.CouldNotResolve(logger, e, batch.Length);
        foreach (var p in batch) p.TrySetException(Unavailable);
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
