namespace CampusCard.Clearing.Domain.Ports;

/// <summary>A batch the hot store decided: one result per request, in order, and its outbox entry.</summary>
public sealed record DecidedBatch(string? OutboxId, HotResult[] Results);

/// <summary>A decided batch still in the outbox, read back for recovery.</summary>
public sealed record OutboxBatch(string OutboxId, IReadOnlyList<JournalEntry> Entries);

/// <summary>
/// The authoritative hot state (balances, card state, daily spend, idempotency records) and the
/// outbox of decided batches. Every batch is decided atomically.
/// </summary>
public interface IHotStore
{
    /// <summary>
    /// The highest transaction id already handed out, as far as this process knows (the journal's
    /// newest at the least). A decide that finds the store's sequence behind it fails with
    /// <see cref="HotStoreLostWritesException"/> instead of handing out an id twice.
    /// </summary>
    long HighWater { get; set; }

    /// <summary>How long a retry of a request id is recognised and answered with the first answer.</summary>
    TimeSpan IdempotencyWindow { get; }

    /// <param name="acknowledged">Outbox entries now in the journal, removed in the same round trip.</param>
    Task<DecidedBatch> DecideAsync(IReadOnlyList<ClearingRequest> requests, DateTimeOffset now, int businessDay, IReadOnlyList<string> acknowledged);

    Task AcknowledgeAsync(IReadOnlyList<string> outboxIds);

    /// <summary>The oldest outbox batches, at most <paramref name="maxBatches"/>, that are at least <paramref name="minAge"/> old by the store's own clock.</summary>
    Task<IReadOnlyList<OutboxBatch>> ReadOutboxAsync(int maxBatches, TimeSpan minAge);

    /// <summary>The last transaction id the hot store handed out, or null when it holds no state at all.</summary>
    Task<long?> GetSequenceAsync();

    Task<HolderHotState?> GetHolderAsync(long holderId);

    /// <summary>Adds a new holder with zero balances; leaves an existing one alone.</summary>
    Task AddHolderAsync(Holder holder);

    /// <summary>Replaces the whole hot state with one rebuilt from the journal.</summary>
    Task RestoreAsync(HotSnapshot snapshot);
}

/// <summary>The hot state as the journal implies it.</summary>
public sealed record HotSnapshot(
    long Sequence,
    IReadOnlyList<HolderHotState> Holders,
    IReadOnlyList<JournalEntry> RecentEntries,
    DateTimeOffset Now);

/// <summary>
/// The hot store's sequence is behind a transaction id already handed out: it lost writes (a
/// restart without its last appends, a failover). Nothing may be decided until it is rebuilt.
/// </summary>
public sealed class HotStoreLostWritesException(string message) : Exception(message);
