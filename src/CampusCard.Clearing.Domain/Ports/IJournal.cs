namespace CampusCard.Clearing.Domain.Ports;

/// <summary>
/// The durable double-entry journal: the truth that the hot state is checked against. A provider serves all of it; each
/// part of the engine asks for the small port it reads (<see cref="IDecisionJournal"/> on the hot path and in recovery,
/// the read models apart: <see cref="IOperationReads"/>, <see cref="IStatementReads"/>, <see cref="IFinanceReads"/>).
/// </summary>
public interface IJournal : IDecisionJournal, IOperationReads, IStatementReads, IFinanceReads;

/// <summary>
/// What the hot path and its recovery need of the journal: a decided batch appended, the answers it holds under request
/// ids, and a partition's snapshot to rebuild the hot state from.
/// </summary>
public interface IDecisionJournal
{
    /// <summary>
    /// Stores a decided batch with its postings in one database transaction. Idempotent by transaction id: storing
    /// a batch again changes nothing. A transaction under a (scope, request id) the journal holds with another id
    /// is refused: <see cref="JournalConflictException"/>.
    /// </summary>
    Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken);

    Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether the journal holds a transaction of <paramref name="partition"/> above <paramref name="afterId"/>: the
    /// partition's hot state lost writes the journal has (its sequence is behind).
    /// </summary>
    Task<bool> HoldsAfterAsync(int partition, long afterId, CancellationToken cancellationToken);

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

    /// <summary>
    /// What one partition of the hot state should hold, derived from the journal: its holders (each with the balances after
    /// its newest transaction and its newest state), their cards, and the records of the idempotency window that belong to
    /// it. Its <see cref="HotSnapshot.Sequence"/> is at or above every id the journal holds. It grows with the partition's
    /// holders and the window, not with the journal's history.
    /// </summary>
    Task<HotSnapshot> SnapshotAsync(Partitioning partitioning, int partition, DateTimeOffset now, BusinessDays businessDays, TimeSpan idempotencyWindow,
        CancellationToken cancellationToken);
}

/// <summary>What the engine's own services read of the journal as they run: the card-status feed's changes, holds to release, auto top-ups to ask for, offline records' cards, a subsidy batch's persons.</summary>
public interface IOperationReads
{

    /// <summary>
    /// Card state changes (decisions that stored the holder after them) in (<paramref name="afterTransactionId"/>,
    /// <paramref name="throughTransactionId"/>], at most <paramref name="maxChanges"/> of them, each with every card
    /// of its holder, in transaction and card order. <paramref name="newestOnly"/> keeps each holder's newest change.
    /// </summary>
    Task<IReadOnlyList<CardStateRow>> ReadCardStatesAsync(long afterTransactionId, long throughTransactionId, bool newestOnly, int maxChanges, CancellationToken cancellationToken);


    /// <summary>
    /// Approved holds whose deadline passed before <paramref name="now"/> (and after <paramref name="since"/>) that no
    /// settle or release closed, oldest first, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<ExpiredHold>> ExpiredHoldsAsync(DateTimeOffset since, DateTimeOffset now, int max, CancellationToken cancellationToken);


    /// <summary>
    /// Auto top-up requests opened in (<paramref name="afterId"/>, <paramref name="throughId"/>] that are still open at
    /// <paramref name="now"/> (not expired, not answered by a quota top-up), in the order they were opened, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<AutoTopUpRequest>> OpenAutoTopUpsAsync(long afterId, long throughId, DateTimeOffset now, int max, CancellationToken cancellationToken);


    /// <summary>The card each of a campus's terminal's offline records (by its sequence number) was recorded for, of those it has.</summary>
    Task<IReadOnlyDictionary<long, string>> OfflineCardsAsync(short campus, string terminalId, IReadOnlyCollection<long> terminalSeqs, CancellationToken cancellationToken);


    /// <summary>The person numbers with an approved subsidy of the campus's batch.</summary>
    Task<IReadOnlyList<string>> SubsidizedPersonsAsync(short campus, string batchId, CancellationToken cancellationToken);
}

/// <summary>A cardholder's statement and monthly bill (对账单).</summary>
public interface IStatementReads
{

    /// <summary>
    /// The holder's transactions that moved money on their accounts (or, after 报退, on refunds payable for them) on the
    /// <paramref name="days"/>, with ids below <paramref name="beforeId"/>, newest first, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<StatementLine>> StatementAsync(HolderDays days, long beforeId, int max, CancellationToken cancellationToken);


    /// <summary>What the holder spent at merchants on the <paramref name="days"/> per month (its first day) and merchant category, less reversals and refunds.</summary>
    Task<IReadOnlyList<(DateOnly Month, MerchantCategory Category, long AmountFen)>> SpendAsync(HolderDays days, CancellationToken cancellationToken);
}

/// <summary>What finance's runs read: a day's merchants to settle, every holder's state for the hot-state check, the bank's top-ups to reconcile.</summary>
public interface IFinanceReads
{

    /// <summary>
    /// Every merchant's of the campus business day (<paramref name="businessDay"/>) from the journal's rows up to
    /// <paramref name="throughTransactionId"/>: its sales, reversals and refunds, and what a settlement took before.
    /// </summary>
    Task<IReadOnlyList<MerchantDay>> MerchantDaysAsync(short campus, int businessDay, long throughTransactionId, CancellationToken cancellationToken);


    /// <summary>
    /// Every holder's state as the journal implies it, independently of what the hot state reported: balances summed from
    /// the legs, the rest from the newest holder_after (the hot-state check compares them with Redis).
    /// </summary>
    Task<IReadOnlyList<HolderHotState>> HolderStatesAsync(BusinessDays businessDays, CancellationToken cancellationToken);


    /// <summary>The approved quota and e-wallet top-ups of the campus's business day, by the request id the bank gateway sent.</summary>
    Task<IReadOnlyList<BankTopUp>> BankTopUpsAsync(short campus, int businessDay, CancellationToken cancellationToken);
}

/// <summary>
/// A merchant's business day: sales (debits, offline records, settled holds, payments) and what went back (reversals,
/// payment refunds); <see cref="NetFen"/> is what settlement moves; <see cref="SettledFen"/> what a settlement of the
/// day moved already.
/// </summary>
public sealed record MerchantDay(
    long MerchantNo, string MerchantId, string Name, MerchantCategory Category, long Sales, long GrossFen, long Reversals, long ReversalsFen,
    long Refunds, long RefundsFen, long SettledFen)
{
    public long NetFen => GrossFen - ReversalsFen - RefundsFen;
}

/// <summary>One line of a cardholder's statement 流水: what a transaction did to each of their accounts, and the balances after.</summary>
/// <summary>
/// One line of a statement 流水. <see cref="RefundChangeFen"/>: what it did to the refunds payable owed to the person after
/// 报退 (the close's refund, and whatever reached the closed account after it); <see cref="OccurredAt"/>: when an offline
/// record happened at its terminal.
/// </summary>
public sealed record StatementLine(
    long TransactionId, DateTimeOffset DecidedAt, TransactionKind Kind, Effect Effect, long PurseChangeFen, long WalletChangeFen, long PendingChangeFen,
    long HeldChangeFen, string MerchantId, string MerchantName, MerchantCategory Category, Balances After, string Memo, long RefundChangeFen = 0,
    DateTimeOffset? OccurredAt = null)
{
    public long AmountFen => PurseChangeFen + WalletChangeFen + PendingChangeFen + HeldChangeFen + RefundChangeFen;
}

/// <summary>
/// The business days [<see cref="FromDay"/>, <see cref="ToDay"/>] of a holder's statement or bill. An offline record
/// counts on the campus day it happened (its occurred_at at <see cref="UtcOffset"/>, the campus's business-day offset:
/// <see cref="BusinessCalendar.DayOffset"/>), not on the day it was uploaded,
/// which is at most <see cref="OfflineDays"/> later: the queries read the decided days [FromDay - 1, ToDay + OfflineDays].
/// </summary>
public sealed record HolderDays(long HolderId, int FromDay, int ToDay, TimeSpan UtcOffset, int OfflineDays)
{
    public int FirstDecidedDay => FromDay - 1;

    public int LastDecidedDay => ToDay + OfflineDays;

    public int OffsetSeconds => (int)UtcOffset.TotalSeconds;
}

/// <summary>A top-up from a bank as the journal has it: the bank's reference is the request id.</summary>
public sealed record BankTopUp(string Reference, string PersonNo, long AmountFen, long TransactionId);

/// <summary>A hold past its deadline that nobody settled or released: the engine releases it.</summary>
public sealed record ExpiredHold(long TransactionId, string CardNo, string RequestId, short Campus);

/// <summary>An auto top-up request (自动转账): the transaction that opened it is its id.</summary>
public sealed record AutoTopUpRequest(long Id, string PersonNo, long AmountFen, long BalanceFen, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, short Campus);

/// <summary>One card of a holder whose state changed: the card's place among the holder's cards (oldest first) and the holder after the change.</summary>
public sealed record CardStateRow(long TransactionId, int CardIndex, string CardNo, HolderHotState Holder);

/// <summary>
/// Campuses, cardholders, the card numbers issued to them, their secrets' hashes, merchants and terminals: slow-moving
/// records kept beside the journal. Numbers and ids are looked up within a campus (<see cref="Campus"/>); a holder id,
/// a merchant number and a transaction id are unique across campuses.
/// </summary>
public interface IRegistry
{
    /// <summary>Creates a campus under the next free number, placed in the journal database numbered <paramref name="journalDatabase"/>; null when the code is taken.</summary>
    Task<Campus?> CreateCampusAsync(string code, string name, short journalDatabase, string createdBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records here a campus the main database created (<see cref="JournalPlacement"/>), so the rows of its cardholders and
    /// merchants in this database name it; nothing when it is recorded already.
    /// </summary>
    Task PlaceCampusAsync(Campus campus, string createdBy, CancellationToken cancellationToken);

    /// <summary>Every campus, by number.</summary>
    Task<IReadOnlyList<Campus>> CampusesAsync(CancellationToken cancellationToken);

    /// <summary>Records the campus's next version of its settings (<see cref="CampusConfiguration.Version"/> is the one given it).</summary>
    Task<CampusConfiguration> ConfigureCampusAsync(short campus, DateTimeOffset effectiveFrom, CampusSettings settings, string setBy, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Every version of every campus's settings, by campus and version.</summary>
    Task<IReadOnlyList<CampusConfiguration>> CampusConfigurationsAsync(CancellationToken cancellationToken);

    /// <summary>Opens the account; null when the person already has one (open, or closed for ever).</summary>
    Task<Holder?> OpenHolderAsync(short campus, string personNo, string name, CardType cardType, string idNumberHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Holder?> FindHolderAsync(short campus, string personNo, CancellationToken cancellationToken);

    Task<Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken);

    /// <summary>The hash of the holder's ID number; null when none was recorded (an account of an older release).</summary>
    Task<string?> IdNumberHashAsync(long holderId, CancellationToken cancellationToken);

    /// <summary>Takes a card number for the holder; the card as issued, which is another holder's when the number was taken.</summary>
    Task<IssuedCard> IssueCardAsync(short campus, string cardNo, long holderId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a number taken for the holder whose issue was declined: it names nobody again, so a request naming it is
    /// an unknown card. A number the journal shows approved for the holder (a card that is or was live) stays.
    /// </summary>
    Task ReleaseCardAsync(short campus, string cardNo, long holderId, CancellationToken cancellationToken);

    Task<IssuedCard?> FindCardAsync(short campus, string cardNo, CancellationToken cancellationToken);

    /// <summary>Every card number issued, to every holder.</summary>
    Task<IReadOnlyList<IssuedCard>> AllCardsAsync(CancellationToken cancellationToken);

    /// <summary>Every card issued to the holder, oldest first.</summary>
    Task<IReadOnlyList<IssuedCard>> CardsOfAsync(long holderId, CancellationToken cancellationToken);

    /// <summary>The stored hash of a secret and the transaction that set it; null when there is none.</summary>
    Task<(string Hash, long SetBy)?> SecretAsync(long holderId, SecretKind kind, CancellationToken cancellationToken);

    /// <summary>Stores a secret's hash unless one set by a later transaction is stored (a late retry never undoes a newer change).</summary>
    Task SetSecretAsync(long holderId, SecretKind kind, string hash, long setBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Registers the merchant and its account; null when the merchant id is taken.</summary>
    Task<Merchant?> OpenMerchantAsync(short campus, string merchantId, string name, MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Merchant?> FindMerchantAsync(short campus, string merchantId, CancellationToken cancellationToken);

    /// <summary>
    /// Registers the terminal to the merchant, moves it there from another merchant, or registers it again after a revocation
    /// (the tokens it had before are then refused: <see cref="TerminalRegistration.TokensFrom"/>); a live registration to this
    /// merchant is answered as it is. Created: whether this call changed the registration.
    /// </summary>
    Task<(TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(short campus, string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes the terminal (once; a second revocation keeps the first); null when it was never registered.</summary>
    Task<TerminalRegistration?> RevokeTerminalAsync(short campus, string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken);

    Task<TerminalRegistration?> FindTerminalAsync(short campus, string terminalId, CancellationToken cancellationToken);

    /// <summary>Records a subsidy batch, or returns the one recorded under its id (its deadline stays the first upload's).</summary>
    Task<SubsidyBatch> OpenSubsidyBatchAsync(SubsidyBatch batch, CancellationToken cancellationToken);

    Task<SubsidyBatch?> FindSubsidyBatchAsync(short campus, string batchId, CancellationToken cancellationToken);
}

/// <summary>A holder's secrets, kept only as salted slow hashes (<see cref="Pins"/>).</summary>
public enum SecretKind : short
{
    /// <summary>消费/查询密码.</summary>
    Pin = 1,
    /// <summary>The default PIN, from the ID number, kept so the card office can reset to it.</summary>
    DefaultPin = 2,
    /// <summary>电子支付密码 (handbook 6.1).</summary>
    PaymentPassword = 3,
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
