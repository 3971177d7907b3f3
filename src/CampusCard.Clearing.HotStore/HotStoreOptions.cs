namespace CampusCard.Clearing.HotStore;

public sealed class HotStoreOptions
{
    /// <summary>Prefix of every key, so several deployments (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "cc:";

    /// <summary>
    /// How many partitions the hot state is split into (Domain/Partitioning.cs): each is one Redis Cluster slot, decided by
    /// one FCALL per batch and rebuilt on its own. Fixed when a hot state is created; the host's repartition command
    /// changes it (docs/scaling.md has the measurements behind the default).
    /// </summary>
    public int Partitions { get; set; } = 16;

    /// <summary>
    /// How long Redis keeps a request's idempotency record, so a retry is answered from Redis; after it the journal
    /// answers (the engine's aged-request filter sends such a batch to the journal first, which must therefore start well
    /// inside the window: Engine:AgedRequestLead). Ten minutes covers a terminal's retries and reversals, which come within
    /// seconds to minutes, and keeps a campus's Redis under 300 bytes a cardholder at the lunch peak, where the records of
    /// the window are most (docs/performance.md, Redis memory).
    /// </summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long an auto top-up request (自动转账) stays open for the bank gateway to fund; after it, or once declined, the
    /// next low balance opens a new one.
    /// </summary>
    public TimeSpan AutoTopUpLifetime { get; set; } = TimeSpan.FromMinutes(30);
}
