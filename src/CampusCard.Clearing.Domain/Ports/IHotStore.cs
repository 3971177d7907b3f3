namespace CampusCard.Clearing.Domain.Ports;

/// <summary>
/// Where a request's hot state lives: the person it resolves to, or, for a card nobody holds, the card itself, or for a
/// merchant's own request (no cardholder) the merchant. <see cref="Known"/> says the engine knows this holder exists,
/// so a missing hot state means lost writes.
/// </summary>
public readonly record struct HotTarget(short Campus, string PersonNo, string UnknownCardNo, bool Known, string MerchantId = "")
{
    public static HotTarget Person(short campus, string personNo, bool known) => new(campus, personNo, "", known);

    public static HotTarget NoOneHolds(short campus, string cardNo) => new(campus, "", cardNo, false);

    public static HotTarget Merchant(short campus, string merchantId) => new(campus, "", "", false, merchantId);

    /// <summary>
    /// The target's partition tag, within its campus (<see cref="Campuses.Qualify"/>): "p:" and the person number, "m:"
    /// and the merchant id, or "c:" and the number of a card nobody holds; the request's scope names the same.
    /// </summary>
    public string Tag => Campuses.Qualify(Campus, PersonNo.Length > 0 ? "p:" + PersonNo : MerchantId.Length > 0 ? "m:" + MerchantId : "c:" + UnknownCardNo);
}

/// <summary>A request with the hot state it acts on.</summary>
public readonly record struct HotRequest(ClearingRequest Request, HotTarget Target);

/// <summary>A partition's share of a batch, as the hot store decided it: one result per request, in order, and its outbox entry.</summary>
public sealed record DecidedBatch(int Partition, string? OutboxId, HotResult[] Results);

/// <summary>A decided batch still in a partition's outbox, read back for recovery.</summary>
public sealed record OutboxBatch(int Partition, string OutboxId, IReadOnlyList<JournalEntry> Entries)
{
    /// <summary>The "partition" of the one outbox the releases before partitions wrote: drained at the first start after an upgrade.</summary>
    public const int PreviousRelease = -1;
}

/// <summary>
/// The authoritative hot state (balances, card state, daily spend, idempotency records) and the outboxes of decided
/// batches, split into partitions (<see cref="Partitioning"/>): a partition's share of a batch is decided atomically.
/// </summary>
public interface IHotStore
{
    Partitioning Partitions { get; }

    /// <summary>The partition a request's hot state lives in.</summary>
    int PartitionOf(HotTarget target);

    /// <summary>
    /// The highest sequence of the partition already handed out, as far as this process knows (the journal's newest at the
    /// least). A decide or read that finds the partition's sequence behind it fails with
    /// <see cref="HotStoreLostWritesException"/> instead of handing out an id twice or answering from old state.
    /// </summary>
    long HighWater(int partition);

    /// <summary>
    /// Sets what this process knows of the partition's sequence, once a recovery found it level with the journal while
    /// nothing of this process waited for the journal: what it decided above it was dropped, never answered.
    /// </summary>
    void SetHighWater(int partition, long sequence);

    /// <summary>How long a retry of a request id is recognised by the hot store alone (the journal knows it for ever).</summary>
    TimeSpan IdempotencyWindow { get; }

    /// <summary>
    /// Refuses a Redis that may evict keys (an evicted idempotency record would let money move twice) and a hot state made
    /// with another number of partitions or being repartitioned; marks this instance as using the hot state (so the
    /// repartition command refuses to run meanwhile: <see cref="RenewPresenceAsync"/>); loads the deciders on every primary.
    /// </summary>
    /// <exception cref="UnsafeHotStoreException">It may evict, its partitions are not the configured ones, or a repartition is under way.</exception>
    Task CheckConfigurationAsync();

    /// <summary>How long this instance's mark lasts unless renewed; the engine renews it every third of it.</summary>
    TimeSpan PresenceLifetime { get; }

    /// <summary>
    /// Renews this instance's mark. A mark that lapsed (the instance was cut off from the hot store, or stood still, for
    /// longer than its lifetime) is taken again if the hot state is still the one the instance started on.
    /// </summary>
    /// <exception cref="UnsafeHotStoreException">The hot state was repartitioned meanwhile, or is being: this instance must stop.</exception>
    Task RenewPresenceAsync();

    /// <summary>Removes this instance's mark (it stops).</summary>
    Task LeaveAsync();

    /// <summary>What the last repartition did (from and to which count, when), told once: the first start after it takes it; null when there is none.</summary>
    Task<string?> TakeRepartitionNoteAsync();

    /// <param name="partition">The partition every request of <paramref name="requests"/> lives in.</param>
    /// <param name="acknowledged">Outbox entries of the partition now in the journal, removed in the same round trip.</param>
    /// <param name="journaled">What the journal already holds under the batch's request ids (and their originals): taken where the hot store's own record is missing.</param>
    Task<DecidedBatch> DecideAsync(int partition, IReadOnlyList<HotRequest> requests, DateTimeOffset now, int businessDay,
        IReadOnlyList<string> acknowledged, IReadOnlyList<JournalEntry> journaled);

    /// <summary>The holders of these cards, each by its number within its campus (<see cref="Campuses.Qualify"/>); a card nobody holds is absent from the answer.</summary>
    Task<IReadOnlyDictionary<string, CardRef>> ResolveCardsAsync(IReadOnlyCollection<string> cardKeys);

    /// <summary>A holder's hot state (<see cref="HotTarget.Person"/>), checked as a decide is: it fails when its partition is not ready or lost writes.</summary>
    Task<HolderHotState?> ReadHolderAsync(HotTarget holder);

    /// <param name="partition">A partition, or <see cref="OutboxBatch.PreviousRelease"/>.</param>
    Task AcknowledgeAsync(int partition, IReadOnlyList<string> outboxIds);

    /// <summary>
    /// The partition's oldest outbox batches, at most <paramref name="maxBatches"/>, at least <paramref name="minAge"/> old by
    /// its server's clock; of <see cref="OutboxBatch.PreviousRelease"/>, the previous release's.
    /// </summary>
    Task<IReadOnlyList<OutboxBatch>> ReadOutboxAsync(int partition, int maxBatches, TimeSpan minAge);

    /// <summary>
    /// The partition's oldest outbox batches, at most <paramref name="maxBatches"/>, each by its id and the first transaction
    /// id it decided: every decision of the partition below the first of them that is not journaled yet is in the journal.
    /// </summary>
    Task<IReadOnlyList<(string OutboxId, long FirstTransactionId)>> OutboxHeadAsync(int partition, int maxBatches);

    /// <summary>The last sequence the partition handed out, or null when it holds no complete state or is fenced.</summary>
    Task<long?> GetSequenceAsync(int partition);

    /// <summary>
    /// Stops every instance deciding in the partition until it is rebuilt: one found it lost writes, so whatever any
    /// instance decides there now was decided on state the journal contradicts. Their decides and reads fail as lost
    /// writes (<see cref="HotStoreLostWritesException"/>), so each also stops journaling what it decided there before.
    /// </summary>
    Task FenceAsync(int partition);

    /// <summary>
    /// A partition's server failed (a crash, a kill, a lost connection): if a replica takes its place, it lacks what was
    /// not replicated yet, so the partition must be checked against the journal before it decides again.
    /// </summary>
    event Action<int>? PartitionShaken;

    /// <summary>
    /// Lifts an idle partition's sequence to <paramref name="sequence"/> (never lowers it), so the ids it hands out next are
    /// above the others'; the sequence after, or null while the partition holds no complete state.
    /// </summary>
    Task<long?> AdvanceAsync(int partition, long sequence);

    /// <summary>Indexes a card the registry issued, so requests that name it find its holder (before its holder's first decision).</summary>
    Task AddCardAsync(IssuedCard card);

    /// <summary>
    /// Begins a rebuild of the partition from the journal: from now on it decides and reads nothing (not ready) until
    /// <see cref="RestoreAsync"/> completes this rebuild, and a rebuild begun before this one no longer completes. So what
    /// the partition decided is all in the journal or in its outbox once this returns: the rebuild journals the outbox,
    /// then reads the journal. Returns this rebuild's mark, for <see cref="RestoreAsync"/>.
    /// </summary>
    Task<string> BeginRebuildAsync(int partition);

    /// <summary>
    /// Replaces a partition's hot state with one rebuilt from the journal, completely or not at all: the partition reads as
    /// not ready until the last key is written, and a rebuild that lost keys on the way (a flush), or that another rebuild
    /// began after (<paramref name="rebuild"/> is no longer the partition's), fails. The other partitions go on deciding
    /// meanwhile.
    /// </summary>
    Task RestoreAsync(int partition, string rebuild, HotSnapshot snapshot);
}

/// <summary>
/// A partition's hot state as the journal implies it; <see cref="Sequence"/> is where the partition's sequence starts again.
/// <see cref="Cards"/> are by their numbers within their campuses (<see cref="Campuses.Qualify"/>).
/// </summary>
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
/// <param name="found">
/// This call found the loss (a sequence behind what the caller saw, a known holder missing); otherwise the partition is
/// incomplete or fenced: being rebuilt, or waiting to be, because of what another found.
/// </param>
public sealed class HotStoreLostWritesException(string message, bool found) : Exception(message)
{
    public bool Found { get; } = found;
}

/// <summary>The hot store is configured so that it may lose what the engine relies on (it may evict keys): the service must not run on it.</summary>
public sealed class UnsafeHotStoreException(string message) : Exception(message);
