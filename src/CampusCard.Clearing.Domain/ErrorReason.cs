namespace CampusCard.Clearing.Domain;

/// <summary>
/// Why a call was refused: the google.rpc.ErrorInfo reason of every status but OK (its name in UPPER_SNAKE_CASE, e.g.
/// REQUEST_ID_REUSED), stable, so a program can act on it. A decline is not a refusal: it is an answer (DeclineReason).
/// The hundreds are the <see cref="Refusal"/>, i.e. the status code; common.proto's ErrorReason is pinned to this enum by
/// a test, and the README lists them.
/// </summary>
public enum ErrorReason : short
{
    /// <summary>A field breaks a rule; the status's BadRequest detail names it.</summary>
    InvalidField = 100,
    /// <summary>A file sent in a field (a bank's reconciliation file) has a line that is not of its layout.</summary>
    InvalidFile = 101,
    /// <summary>The request body is not the method's message, or a request stream's gRPC framing is broken.</summary>
    MalformedMessage = 102,

    /// <summary>No account for the person number (or for the card's holder).</summary>
    PersonNotFound = 200,
    /// <summary>No live card with that number.</summary>
    CardNotFound = 201,
    MerchantNotFound = 202,
    /// <summary>The terminal was never registered.</summary>
    TerminalNotFound = 203,
    SubsidyBatchNotFound = 204,
    /// <summary>The deployment has no campus of that code.</summary>
    CampusNotFound = 205,

    /// <summary>The person has an account already: one account per person for ever (art. 14).</summary>
    AccountExists = 300,
    /// <summary>The card number was issued to someone else.</summary>
    CardNumberTaken = 301,
    MerchantExists = 302,
    /// <summary>An offline record's terminal sequence number was recorded for another card.</summary>
    OfflineSequenceTaken = 303,
    /// <summary>The campus code is another campus's already (a campus of the same code and name is answered as it is).</summary>
    CampusExists = 304,

    /// <summary>The request id was used before for a different request; nothing changed.</summary>
    RequestIdReused = 400,
    /// <summary>The account was closed (报退): it is never reopened (art. 14).</summary>
    AccountClosed = 401,
    /// <summary>The card PIN and the payment password must differ (art. 18).</summary>
    SecretsMustDiffer = 402,
    /// <summary>A subsidy batch is recalled only after its claim deadline.</summary>
    SubsidyBatchStillOpen = 403,
    /// <summary>A business day is settled only after its cut-off.</summary>
    DayNotClosed = 404,
    /// <summary>A campus group's campuses keep their journal in one database: a debit across them is one transaction.</summary>
    GroupAcrossDatabases = 405,

    /// <summary>The caller's role may not call the method.</summary>
    RoleNotAllowed = 500,
    /// <summary>A terminal's request names another merchant than its own.</summary>
    OtherMerchant = 501,
    /// <summary>A terminal's request names another terminal than its own.</summary>
    OtherTerminal = 502,

    /// <summary>No bearer token in the metadata.</summary>
    CredentialMissing = 600,
    /// <summary>The bearer token is malformed, its signature does not verify, or it was issued for another service.</summary>
    TokenInvalid = 601,
    /// <summary>The bearer token expired (or is not valid yet).</summary>
    TokenExpired = 602,
    /// <summary>The token names a role this service does not know, or no subject.</summary>
    TokenClaimsInvalid = 603,
    /// <summary>The token's terminal is not registered to a merchant.</summary>
    TerminalNotRegistered = 604,
    /// <summary>The card office revoked the token's terminal.</summary>
    TerminalRevoked = 605,
    /// <summary>The token's terminal is registered to another merchant than the token names.</summary>
    TerminalMerchantMismatch = 606,
    /// <summary>The token was issued before the terminal's current registration: a moved or re-registered terminal needs a new one.</summary>
    TokenPredatesRegistration = 607,

    /// <summary>The engine is starting or rebuilding its state from the journal: retry shortly with the same request id.</summary>
    EngineRecovering = 700,
    /// <summary>Too many requests are waiting: retry later.</summary>
    EngineOverloaded = 701,
    /// <summary>The journal cannot be written now: retry with the same request id.</summary>
    JournalFailing = 702,
    /// <summary>The service is shutting down: retry on another instance or later.</summary>
    EngineStopped = 703,
    /// <summary>Redis, the database or the network is out of reach: retry with the same request id.</summary>
    DependencyUnavailable = 704,
    /// <summary>The first attempt of this request is still being recorded: retry with the same request id.</summary>
    FirstAttemptPending = 705,
    /// <summary>A card-status subscriber fell behind: reconnect from the last version applied.</summary>
    SubscriberBehind = 706,

    /// <summary>The service failed unexpectedly (a defect, logged): retry with the same request id.</summary>
    Internal = 800,
}

public static class ErrorReasons
{
    /// <summary>The status a reason is answered with: its hundreds.</summary>
    public static Refusal RefusalOf(ErrorReason reason) => (Refusal)((int)reason / 100);

    /// <summary>The reason as ErrorInfo carries it: REQUEST_ID_REUSED.</summary>
    public static string Name(ErrorReason reason) => CodeTable.SnakeCase(reason.ToString()).ToUpperInvariant();
}
