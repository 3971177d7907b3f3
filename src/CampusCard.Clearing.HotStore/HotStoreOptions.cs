namespace CampusCard.Clearing.HotStore;

public sealed class HotStoreOptions
{
    /// <summary>Prefix of every key, so several deployments (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "cc:";

    /// <summary>How long a retry of a request id is recognised and answered with the first answer.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromDays(7);
}
