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

    /// <summary>How long a retry of a request id is recognised and answered with the first answer.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long an auto top-up request (自动转账) stays open for the bank gateway to fund; after it, or once declined, the
    /// next low balance opens a new one.
    /// </summary>
    public TimeSpan AutoTopUpLifetime { get; set; } = TimeSpan.FromMinutes(30);
}
