namespace CampusCard.Clearing.Domain.Ports;

/// <summary>The durable double-entry journal: the truth that the hot state is checked against.</summary>
public interface IJournal
{
    /// <summary>
    /// Stores a decided batch with its postings in one database transaction. Idempotent by transaction id: storing
    /// a batch again changes nothing. A transaction under a (scope, request id) the journal holds with another id
    /// is refused: <see cref="JournalConflictException"/>.
    /// </summary>
    Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken);

    Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken);

    Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken);

    /// <summary>
    /// What the journal holds under these (scope, request id) pairs, and the reversals naming them as originals, in
    /// decision order: the answers of requests whose hot records expired or were lost.
    /// </summary>
    Task<IReadOnlyList<JournalEntry>> FindAsync(IReadOnlyCollection<(string Scope, string RequestId)> keys, CancellationToken cancellationToken);

    /// <summary>
    /// The (scope, request id) of every transaction decided in [<paramref name="from"/>, <paramref name="before"/>),
    /// and a reversal's (scope, original request id) as well: the keys <see cref="FindAsync"/> would find them by.
    /// </summary>
    IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>How many keys <see cref="ReadRequestKeysAsync"/> yields for everything decided before <paramref name="before"/>.</summary>
    Task<long> CountRequestKeysAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Everything the hot state should hold, derived from the journal.</summary>
    Task<HotSnapshot> SnapshotAsync(DateTimeOffset now, int businessDay, TimeSpan idempotencyWindow, CancellationToken cancellationToken);
}

/// <summary>Cardholders, cards and merchants: slow-moving records kept beside the journal.</summary>
public interface IRegistry
{
    /// <summary>Opens the account and first card; null when the person already has one.</summary>
    Task<Holder?> OpenHolderAsync(string personNo, string name, CardType cardType, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Holder?> FindHolderAsync(string personNo, CancellationToken cancellationToken);

    Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken);

    /// <summary>Registers the merchant and its account; null when the merchant id is taken.</summary>
    Task<Merchant?> OpenMerchantAsync(string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Merchant?> FindMerchantAsync(string merchantId, CancellationToken cancellationToken);

    /// <summary>Registers the terminal to the merchant; the existing registration when the terminal id is taken.</summary>
    Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes the terminal (once; a second revocation keeps the first); null when it was never registered.</summary>
    Task<TerminalRegistration?> RevokeTerminalAsync(string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken);

    Task<TerminalRegistration?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken);
}

/// <summary>
/// The journal refused a batch: it holds a different transaction under an id or a (scope, request id) the hot store
/// handed out again. The hot store lost writes; the batch must not be answered, and the hot state must be rebuilt.
/// </summary>
public sealed class JournalConflictException(long transactionId)
    : Exception($"transaction {transactionId} collides with a different one already in the journal: the hot store lost writes")
{
    public long TransactionId { get; } = transactionId;
}
