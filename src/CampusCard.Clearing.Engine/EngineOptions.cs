namespace CampusCard.Clearing.Engine;

/// <summary>The pipeline's knobs; bound from the "Engine" configuration section.</summary>
public sealed class EngineOptions
{
    /// <summary>A batch is cut at this many requests...</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// ...or when its first request has waited this long, whichever comes first. Zero (the default)
    /// waits for nothing: a batch is what queued while the previous one was being decided, which
    /// adapts to the load by itself. Timers tick in milliseconds, so a delay costs at least one.
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Journal writes (database transactions) in flight at once: connections the pipeline uses.</summary>
    public int JournalConcurrency { get; set; } = 2;

    /// <summary>A journal write takes every decided batch waiting, up to this many transactions, into one database transaction.</summary>
    public int MaxJournalBatch { get; set; } = 4096;

    /// <summary>A write starts beside one already running only with at least this many transactions; smaller ones wait for the next commit.</summary>
    public int ParallelJournalBatch { get; set; } = 512;

    /// <summary>Batches decided but not yet journaled; deciding waits when this many are.</summary>
    public int MaxUnjournaledBatches { get; set; } = 64;

    /// <summary>Requests waiting for a batch before new ones get UNAVAILABLE.</summary>
    public int MaxQueuedRequests { get; set; } = 20_000;

    /// <summary>Back-off of a failed journal write: doubles from the first value up to the second.</summary>
    public TimeSpan JournalRetryMin { get; set; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan JournalRetryMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Longest wait between two attempts to recover (Redis or the journal unreachable): short, because nothing is
    /// admitted meanwhile and a dependency that comes back should be used at once.
    /// </summary>
    public TimeSpan RecoveryRetryMax { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often outbox entries left behind (by a crashed instance, a lost connection) are swept into the journal...</summary>
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>...once they are this old, so entries of batches still being written are left to their writer.</summary>
    public TimeSpan OutboxSweepAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Requests decided this long before their hot records expire (at the idempotency window) count as aged: a batch
    /// that may hold one is looked up in the journal before its decide. Half of it is the margin for a refresh that
    /// comes late and for clocks that differ. Well under the window (10 minutes by default): a retry or reversal later
    /// than the window less the lead costs its batch a journal lookup.
    /// </summary>
    public TimeSpan AgedRequestLead { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the aged request keys are read on from the journal; well under half the lead.</summary>
    public TimeSpan AgedRequestRefresh { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the card-status feed reads on from the journal while it has subscribers.</summary>
    public TimeSpan CardStatusInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Changes a card-status subscriber may have unread before it is cut off (it reconnects from its last version).</summary>
    public int CardStatusBuffer { get; set; } = 10_000;

    /// <summary>How often the engine looks for holds past their deadline to release.</summary>
    public TimeSpan HoldExpiryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an auto top-up stream reads on from the journal.</summary>
    public TimeSpan AutoTopUpInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a stopping engine waits for decided batches to reach the journal.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The campus's UTC offset: the business day (daily limits) and channel service hours follow it.</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(8);
}
