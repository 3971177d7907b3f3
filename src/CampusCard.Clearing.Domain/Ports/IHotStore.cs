namespace CampusCard.Clearing.Domain.Ports;

/// <summary>
/// Where a request's hot state lives: the person it resolves to, or, for a card nobody holds, the card itself, or for a
/// merchant's own request (no cardholder) the merchant. <see cref="Known"/> says the engine knows this holder exists,
/// so a missing hot state means lost writes.
/// </summary>
public readonly record struct HotTarget(string PersonNo, string UnknownCardNo, bool Known, string MerchantId = "")
{
    public static HotTarget Person(string personNo, bool known) => new(personNo, "", known);

    public static HotTarget NoOneHolds(string cardNo) => new("", cardNo, false);

    public static HotTarget Merchant(string merchantId) => new("", "", false, merchantId);
}

/// <summary>A request with the hot state it acts on.</summary>
public readonly record struct HotRequest(ClearingRequest Request, HotTarget Target);

/// <summary>A batch the hot store decided: one result per request, in order, and its outbox entry.</summary>
public sealed record DecidedBatch(string? OutboxId, HotResult[] Results);

/// <summary>A decided batch still in the outbox, read back for recovery.</summary>
public sealed record OutboxBatch(string OutboxId, IReadOnlyList<JournalEntry> Entries);

/// <summary>
/// The authoritative hot state (balances, card state, daily spend, idempotency records) and the outbox of
/// decided batches. Every batch is decided atomically.
/// </summary>
public interface IHotStore
{
    /// <summary>
    /// The highest transaction id already handed out, as far as this process knows (the journal's newest at the
    /// least). A decide or read that finds the store's sequence behind it fails with
    /// <see cref="HotStoreLostWritesException"/> instead of handing out an id twice or answering from old state.
    /// </summary>
    long HighWater { get; set; }

    /// <summary>How long a retry of a request id is recognised by the hot store alone (the journal knows it for ever).</summary>
    TimeSpan IdempotencyWindow { get; }

    /// <summary>Refuses a Redis that may evict keys (an evicted idempotency record would let money move twice).</summary>
    /// <exception cref="UnsafeHotStoreException">It may evict.</exception>
    Task CheckConfigurationAsync();

    /// <param name="acknowledged">Outbox entries now in the journal, removed in the same round trip.</param>
    /// <param name="journaled">What the journal already holds under the batch's request ids (and their originals): taken where the hot store's own record is missing.</param>
    Task<DecidedBatch> DecideAsync(IReadOnlyList<HotRequest> requests, DateTimeOffset now, int businessDay, IReadOnlyList<string> acknowledged, IReadOnlyList<JournalEntry> journaled);

    /// <summary>The holders of these card numbers; a card nobody holds is absent from the answer.</summary>
    Task<IReadOnlyDictionary<string, CardRef>> ResolveCardsAsync(IReadOnlyCollection<string> cardNos);

    /// <summary>A holder's hot state, checked as a decide is: it fails when the store is not ready or lost writes.</summary>
    Task<HolderHotState?> ReadHolderAsync(string personNo, bool known);

    Task AcknowledgeAsync(IReadOnlyList<string> outboxIds);

    /// <summary>The oldest outbox batches, at most <paramref name="maxBatches"/>, that are at least <paramref name="minAge"/> old by the store's own clock.</summary>
    Task<IReadOnlyList<OutboxBatch>> ReadOutboxAsync(int maxBatches, TimeSpan minAge);

    /// <summary>
    /// The oldest outbox batches, at most <paramref name="maxBatches"/>, each by its id and the first transaction id it
    /// decided: every decision below the first of them that is not journaled yet is in the journal.
    /// </summary>
    Task<IReadOnlyList<(string OutboxId, long FirstTransactionId)>> OutboxHeadAsync(int maxBatches);

    /// <summary>The last transaction id the hot store handed out, or null when it holds no complete state.</summary>
    Task<long?> GetSequenceAsync();

    /// <summary>Indexes a card the registry issued, so requests that name it find its holder (before its holder's first decision).</summary>
    Task AddCardAsync(IssuedCard card);

    /// <summary>
    /// Replaces the whole hot state with one rebuilt from the journal, completely or not at all: the store reads as
    /// not ready until the last key is written, and a rebuild that lost keys on the way (a flush) fails.
    /// </summary>
    Task RestoreAsync(HotSnapshot snapshot);
}

/// <summary>The hot state as the journal implies it.</summary>
public sealed record HotSnapshot(
    long Sequence,
    IReadOnlyList<HolderHotState> Holders,
    IReadOnlyDictionary<string, CardRef> Cards,
    IReadOnlyList<JournalEntry> RecentEntries,
    DateTimeOffset Now);

/// <summary>
/// The hot store lost writes (a restart without its last appends, a flush, a failover) or is not ready: nothing
/// may be decided or read until it is rebuilt from the journal.
/// </summary>
public sealed class HotStoreLostWritesException(string message) : Exception(message);

/// <summary>The hot store is configured so that it may lose what the engine relies on (it may evict keys): the service must not run on it.</summary>
public sealed class UnsafeHotStoreException(string message) : Exception(message);
