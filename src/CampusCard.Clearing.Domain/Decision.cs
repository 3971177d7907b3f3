namespace CampusCard.Clearing.Domain;

/// <summary>
/// A person's balances in fen. The purse is what is available: open holds (<see cref="HeldFen"/>) were moved out of it,
/// so a hold is never counted twice (invariant 8).
/// </summary>
public readonly record struct Balances(long PurseFen, long WalletFen, long PendingFen, long HeldFen = 0);

/// <summary>What the hot store decided for one request.</summary>
public sealed record Decision
{
    public required Outcome Outcome { get; init; }
    public DeclineReason Reason { get; init; }
    public required long TransactionId { get; init; }

    /// <summary>The holder the request acted for, as the hot state knew it; 0 when there is none (an unknown card or person).</summary>
    public long HolderId { get; init; }

    public Balances Balances { get; init; }
    public Effect Effect { get; init; }

    /// <summary>What actually moved: the amount for an approval, the original's amount for a refunding reversal, else 0.</summary>
    public long MovedFen { get; init; }

    /// <summary>
    /// What moved on the side legs (<see cref="KindDescriptor.SideAccounts"/>): the pending amount a debit claimed first, the
    /// rest of a settled hold back to the purse; else 0.
    /// </summary>
    public long SideFen { get; init; }

    /// <summary>A hold's deadline (unix milliseconds): unsettled then, the engine releases it; else 0.</summary>
    public long DeadlineMs { get; init; }

    /// <summary>The merchant of the debit (or of a reversal's original debit).</summary>
    public long MerchantNo { get; init; }

    /// <summary>The card state after the decision; 0 when there is no holder.</summary>
    public CardState CardState { get; init; }

    /// <summary>The holder after a decision that changed more than their balances (a lifecycle kind, a PIN counted); else null.</summary>
    public HolderHotState? HolderAfter { get; init; }

    public required long DecidedAtMs { get; init; }
    public int BusinessDay { get; init; }

    public DateTimeOffset DecidedAt => DateTimeOffset.FromUnixTimeMilliseconds(DecidedAtMs);

    /// <summary>What the auto top-up request this decision opened asks for (the holder after it names the decision), else 0.</summary>
    public long AutoTopUpRequestedFen => HolderAfter is { } h && h.AutoOpenTxn == TransactionId ? h.AutoTopUpFen : 0;
}

public enum HotOutcome : byte
{
    /// <summary>Decided now: goes to the journal before it is answered.</summary>
    New,
    /// <summary>A retry: the first answer, already on its way to (or in) the journal.</summary>
    Replay,
    /// <summary>The request id was used before for a different request: nothing changed.</summary>
    Conflict,
}

public readonly record struct HotResult(HotOutcome Outcome, Decision? Decision);

/// <summary>A decided request as the journal stores it.</summary>
public readonly record struct JournalEntry(ClearingRequest Request, Decision Decision)
{
    public Legs? Legs => Decision.Outcome == Outcome.Approved && Decision.MovedFen != 0 ? Request.Descriptor.Legs(Request, Decision) : null;

    public Legs? SideLegs => Decision.Outcome == Outcome.Approved && Decision.SideFen != 0 ? Request.Descriptor.SideLegs(Request, Decision) : null;
}
