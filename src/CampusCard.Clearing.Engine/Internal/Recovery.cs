using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Brings a partition of the hot store level with the journal: journals what is left in its outbox, then rebuilds it
/// from the journal when it is incomplete, behind the journal, or lost writes. The one way recovery starts. A partition
/// in recovery decides nothing (its requests are refused, UNAVAILABLE) while every other partition goes on deciding;
/// its recovery waits until this instance has none of its batches waiting for the journal, and retries until it
/// succeeds. Two instances recovering one partition at once are kept apart by the rebuild's marker (complete.lua).
/// </summary>
/// <param name="emptied">The hot state was emptied on purpose (<see cref="HotStateRebuild"/>): a partition without state is built without a warning.</param>
internal sealed class Recovery(
    IHotStore hot, IDecisionJournal journal, AgedRequests aged, Directory directory, InFlightBatches inFlight, EngineOptions options,
    TimeProvider clock, CampusRulesBook campuses, ILogger logger, bool emptied = false)
{
    private const int OutboxPage = 100;
    private readonly SemaphoreSlim[] _exclusive = [.. hot.Partitions.All.Select(_ => new SemaphoreSlim(1, 1))];
    private readonly int[] _recovering = new int[hot.Partitions.Count];
    private readonly int[] _rebuilding = new int[hot.Partitions.Count];
    private int _rebuilds;
    private readonly RetryPolicy _retry = new(options.JournalRetryMin, options.RecoveryRetryMax, clock);

    /// <summary>Whether the partition is being recovered (or waits to be): its requests are refused meanwhile.</summary>
    public bool IsRecovering(int partition) => Volatile.Read(ref _recovering[partition]) != 0;

    /// <summary>Whether any partition waits to be rebuilt because it lost writes (a cheap test before <see cref="LostWrites"/>).</summary>
    public bool AnyLostWrites => Volatile.Read(ref _rebuilds) != 0;

    /// <summary>
    /// Whether the partition lost writes and is not rebuilt yet: what this instance decided there and has not journaled
    /// was decided on state the journal contradicts.
    /// </summary>
    public bool LostWrites(int partition) => Volatile.Read(ref _rebuilding[partition]) != 0;

    /// <summary>
    /// Every partition, a few at a time, at start: first what the release before partitions left in its outbox (after an
    /// upgrade), so nothing it decided is rebuilt away.
    /// </summary>
    public async Task<HotStateRebuilt> RecoverAllAsync(CancellationToken cancellationToken)
    {
        await DrainUntilDoneAsync(OutboxBatch.PreviousRelease, cancellationToken);
        var levelled = new Levelled[hot.Partitions.Count];
        await Parallel.ForEachAsync(hot.Partitions.All, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (partition, ct) =>
        {
            levelled[partition] = await RecoverAsync(partition, ct);
        });
        if (!emptied && levelled.All(l => l.How == Levelling.FirstStart)) Log.FirstStart(logger);
        return new HotStateRebuilt(levelled.Count(l => l.How != Levelling.Level), levelled.Sum(l => l.Holders), levelled.Sum(l => l.Records));
    }

    /// <summary>Journals what every outbox holds, the previous release's and each partition's, retrying until it is done.</summary>
    public async Task DrainAllAsync(CancellationToken cancellationToken)
    {
        foreach (var partition in hot.Partitions.All.Prepend(OutboxBatch.PreviousRelease)) await DrainUntilDoneAsync(partition, cancellationToken);
    }

    private Task DrainUntilDoneAsync(int partition, CancellationToken cancellationToken) =>
        _retry.RunAsync(async () => await DrainOutboxAsync(partition, TimeSpan.Zero, cancellationToken) || true,
            (e, delay) => Log.RecoveryFailed(logger, e, partition, delay), cancellationToken);

    /// <summary>
    /// Starts the partition's recovery in the background, unless one that levels it anyway is under way (one for a loss
    /// is queued behind it); the partition's requests are refused from now on. While a loss is recovered, what this
    /// instance decided there and has not journaled is dropped (<see cref="LostWrites"/>). A loss this instance found
    /// fences the partition first, so that no instance decides there until it is rebuilt; once fenced, a rebuild any
    /// instance completes levels it.
    /// </summary>
    public void Request(int partition, Loss loss, CancellationToken stopping)
    {
        if (loss == Loss.None && IsRecovering(partition)) return;
        Interlocked.Increment(ref _recovering[partition]);
        if (loss != Loss.None) Counted(partition, +1);
        _ = Task.Run(async () =>
        {
            try
            {
                var rebuild = loss == Loss.Found && !await FenceAsync(partition);
                await RecoverAsync(partition, stopping, rebuild);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            finally
            {
                if (loss != Loss.None) Counted(partition, -1);
                Interlocked.Decrement(ref _recovering[partition]);
            }
        });
    }

    /// <summary>What a failed decide or read says of its partition.</summary>
    public static Loss LossOf(Exception e) => e switch
    {
        HotStoreLostWritesException { Found: true } => Loss.Found,
        HotStoreLostWritesException => Loss.Suspected,
        _ => Loss.None,
    };

    private void Counted(int partition, int change)
    {
        Interlocked.Add(ref _rebuilding[partition], change);
        Interlocked.Add(ref _rebuilds, change);
    }

    /// <summary>
    /// Fences the partition for every instance; whether it could. One that cannot be reached now is rebuilt by this
    /// instance whatever it finds then.
    /// </summary>
    private async Task<bool> FenceAsync(int partition)
    {
        try
        {
            await hot.FenceAsync(partition);
            Log.Fenced(logger, partition);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.FenceFailed(logger, e, partition);
            return false;
        }
    }

    /// <param name="rebuild">Rebuild even if the sequence looks level: the partition was found missing state (lost writes).</param>
    public async Task<Levelled> RecoverAsync(int partition, CancellationToken cancellationToken, bool rebuild = false)
    {
        Interlocked.Increment(ref _recovering[partition]);
        try
        {
            await _exclusive[partition].WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _recovering[partition]);
            throw;
        }
        try
        {
            // No batch of the partition waits for the journal in this instance: what it decided is journaled or in the outbox.
            while (inFlight.Holds(partition)) await Task.Delay(TimeSpan.FromMilliseconds(10), clock, cancellationToken);
            return await _retry.RunAsync(() => LevelAsync(partition, rebuild, cancellationToken),
                (e, delay) => Log.RecoveryFailed(logger, e, partition, delay), cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _recovering[partition]);
            _exclusive[partition].Release();
        }
    }

    private async Task<Levelled> LevelAsync(int partition, bool rebuild, CancellationToken ct)
    {
        var lost = rebuild | await DrainOutboxAsync(partition, TimeSpan.Zero, ct);
        var sequence = await hot.GetSequenceAsync(partition);
        // The journal holds a decision of the partition above its sequence: Redis lost it (a failover, a restart without it).
        if (!lost && sequence is { } s && await journal.HoldsAfterAsync(partition, TransactionIds.Of(s, partition), ct))
        {
            lost = true;
            await FenceAsync(partition);
        }
        if (!lost && sequence is not null)
        {
            // Level with the journal, and nothing of this instance's waits for it: what it decided above the sequence was dropped.
            hot.SetHighWater(partition, sequence.Value);
            return new Levelled(Levelling.Level, 0, 0);
        }
        // From here the partition decides nothing, and what it decided is journaled or in its outbox: journaled now, it is
        // in the snapshot read after (a rebuild that began before this one, on an older snapshot, writes nothing more).
        var mark = await hot.BeginRebuildAsync(partition);
        lost |= await DrainOutboxAsync(partition, TimeSpan.Zero, ct);
        var now = clock.GetUtcNow();
        var snapshot = await journal.SnapshotAsync(hot.Partitions, partition, now, campuses.DaysAt(now), hot.IdempotencyWindow, ct);
        // A first start (an empty journal, a hot store never written) only marks the hot store: nothing was lost.
        var firstStart = !lost && snapshot.Sequence == 0 && snapshot.Holders.Count == 0;
        if (!firstStart && !(emptied && sequence is null && !lost)) Log.Rebuilding(logger, partition, sequence, snapshot.Sequence);
        await hot.RestoreAsync(partition, mark, snapshot);
        // The journal took a decision of the partition above the snapshot's sequence (another instance's late write of what it
        // decided on a master lost with its outbox): the rebuilt state lacks it, so the partition is fenced and rebuilt again.
        if (await journal.HoldsAfterAsync(partition, TransactionIds.Of(snapshot.Sequence, partition), ct))
        {
            await FenceAsync(partition);
            throw new HotStoreLostWritesException($"the journal took a decision of partition {partition} while it was rebuilt; rebuilding again", found: false);
        }
        foreach (var h in snapshot.Holders) directory.Remember(h.Campus, h.HolderId, h.PersonNo);
        if (firstStart) return new Levelled(Levelling.FirstStart, 0, 0);
        Log.Rebuilt(logger, partition, snapshot.Holders.Count, snapshot.RecentEntries.Count);
        return new Levelled(Levelling.Rebuilt, snapshot.Holders.Count, snapshot.RecentEntries.Count);
    }

    /// <summary>
    /// Journals and removes the partition's outbox batches at least <paramref name="minAge"/> old. A batch the journal
    /// refuses was decided on state Redis had lost (it conflicts with what the journal holds): it was never journaled, so
    /// never answered, and it is dropped, with every batch after it, decided on the same lost state (one the journal
    /// took anyway was answered by its instance, and stays). Returns whether one was: the partition lost writes.
    /// </summary>
    public async Task<bool> DrainOutboxAsync(int partition, TimeSpan minAge, CancellationToken ct)
    {
        var (written, dropped) = (0, 0);
        IReadOnlyList<OutboxBatch> batches;
        do
        {
            batches = await hot.ReadOutboxAsync(partition, OutboxPage, minAge);
            foreach (var batch in batches)
            {
                if (dropped == 0) (written, dropped) = await JournalAsync(partition, batch, written, ct);
                else dropped++;
                await hot.AcknowledgeAsync(partition, [batch.OutboxId]);
            }
        }
        while (batches.Count == OutboxPage);
        if (written > 0) Log.OutboxDrained(logger, partition, written);
        if (dropped > 1) Log.DroppedAfterLostWrites(logger, partition, dropped - 1);
        return dropped > 0;
    }

    /// <summary>One outbox batch into the journal: the counts of written and dropped batches after it.</summary>
    private async Task<(int Written, int Dropped)> JournalAsync(int partition, OutboxBatch batch, int written, CancellationToken ct)
    {
        try
        {
            await journal.AppendAsync(batch.Entries, ct);
            aged.Journaled(batch.Entries);
            return (written + 1, 0);
        }
        catch (JournalConflictException e)
        {
            Log.LostWrites(logger, e, partition);
            return (written, 1);
        }
    }
}

/// <summary>Why a partition is recovered.</summary>
internal enum Loss
{
    /// <summary>To check it: journal its outbox, rebuild it if it is incomplete or behind the journal.</summary>
    None,

    /// <summary>It is incomplete or fenced: another instance found it lost writes, or it is being rebuilt.</summary>
    Suspected,

    /// <summary>This instance found it lost writes: it fences it and rebuilds it.</summary>
    Found,
}

/// <summary>What a partition's recovery found, and the holders and recent transactions it rebuilt.</summary>
internal readonly record struct Levelled(Levelling How, int Holders, int Records);

/// <summary>What a partition's recovery found.</summary>
internal enum Levelling
{
    /// <summary>The partition was level with the journal: nothing to rebuild.</summary>
    Level,

    /// <summary>The journal and the partition were empty: marked, nothing lost.</summary>
    FirstStart,

    /// <summary>Rebuilt from the journal.</summary>
    Rebuilt,
}
