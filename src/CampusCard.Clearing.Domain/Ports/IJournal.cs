namespace CampusCard.Clearing.Domain.Ports;

/// <summary>The durable double-entry journal: the truth that the hot state is checked against.</summary>
public interface IJournal
{
    /// <summary>
    /// Stores a decided batch with its postings in one database transaction. Idempotent by
    /// transaction id: storing a batch again changes nothing.
    /// </summary>
    Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken);

    Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken);

    Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken);

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
/// The journal already holds a different transaction under an id the hot store handed out again:
/// the hot store lost writes. The batch must not be answered; the hot state must be rebuilt.
/// </summary>
public sealed class JournalConflictException(long transactionId)
    : Exception($"transaction {transactionId} is already in the journal with different content: the hot store lost writes")
{
    public long TransactionId { get; } = transactionId;
}
