namespace CampusCard.Clearing.Domain;

/// <summary>
/// One money-moving request, in the one flat shape the whole pipeline carries (a fixed data model,
/// so batching, the Lua script, the outbox and the journal all speak it). Fields a kind does not use
/// stay at their defaults.
/// </summary>
public sealed record ClearingRequest
{
    public required TransactionKind Kind { get; init; }
    public required string RequestId { get; init; }

    /// <summary>The cardholder the request belongs to: its Redis slot and its idempotency scope. 0 when unresolved.</summary>
    public required long HolderId { get; init; }

    public long AmountFen { get; init; }

    /// <summary>The card's issue number, checked against the live card (debits only).</summary>
    public int CardIssue { get; init; }

    public string TerminalId { get; init; } = "";
    public string MerchantId { get; init; } = "";
    public long MerchantNo { get; init; }
    public string OriginalRequestId { get; init; } = "";
    public SystemAccount Source { get; init; }
    public TransferDirection Direction { get; init; }
    public string Channel { get; init; } = "";
    public string Memo { get; init; } = "";

    /// <summary>A decline decided before the hot store (unknown merchant, channel rules); still recorded and idempotent.</summary>
    public DeclineReason PreDecline { get; init; }

    /// <summary>A digest of the content: a retry must match it, or the request id is being reused for something else.</summary>
    public long Fingerprint => RequestFingerprint.Of(this);
}
