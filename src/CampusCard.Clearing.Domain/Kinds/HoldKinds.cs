namespace CampusCard.Clearing.Domain;

/// <summary>What a hold, its settle and its release share: a terminal of a merchant acts on the card presented.</summary>
public abstract class TerminalKind : KindDescriptor
{
    public override Addressing Addressing => Addressing.Card;

    public override bool AcrossCardGroup => true;

    protected static Violation? Terminal(ClearingRequest r) => Validation.First(
        Validation.Identifier("merchant_id", r.MerchantId, 32),
        Validation.Identifier("terminal_id", r.TerminalId, 32));

    /// <summary>The hold a settle or release closes.</summary>
    protected static Violation? Hold(ClearingRequest r) => Validation.First(
        Validation.RequestId(r.OriginalRequestId, "hold_request_id"),
        r.RequestId == r.OriginalRequestId ? Validation.Fail("hold_request_id", "must differ from request_id") : null);
}

/// <summary>
/// 预授权 for shower 水控, water and laundry terminals: at most <see cref="ClearingRequest.AmountFen"/> leaves the purse for the
/// holds account for <see cref="ClearingRequest.Ref"/> seconds (docs/invariants.md, invariant 8).
/// </summary>
public sealed class HoldKind : TerminalKind
{
    public override TransactionKind Kind => TransactionKind.Hold;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        r.Ref < 1 || r.Ref > context.Cards.MaxHoldLifetime.TotalSeconds ? Validation.Fail("ttl", $"must be 1 to {(long)context.Cards.MaxHoldLifetime.TotalSeconds} seconds") : null,
        Terminal(r));

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Purse(d.HolderId), AccountRef.Holds(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.Ref);
        f.Add(r.MerchantId);
        f.Add(r.TerminalId);
    }
}

/// <summary>
/// A hold (<see cref="ClearingRequest.OriginalRequestId"/>) settled: <see cref="ClearingRequest.AmountFen"/>, at most the
/// hold, to its merchant, the rest back to the purse (side legs); at most once, before its deadline.
/// </summary>
public sealed class SettleHoldKind : TerminalKind
{
    public override TransactionKind Kind => TransactionKind.SettleHold;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Hold(r),
        r.AmountFen is < 0 or > Validation.MaxAmountFen ? Validation.Fail("amount_fen", $"must be 0 to {Validation.MaxAmountFen}") : null,
        Terminal(r));

    public override bool ActsOnOriginal => true;

    public override OriginalMark MarkOriginal(JournalEntry e) => new(true, 0);

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Holds(d.HolderId), AccountRef.Merchant(d.MerchantNo));

    public override (AccountRef From, AccountRef To) SideAccounts(ClearingRequest r, Decision d) =>
        (AccountRef.Holds(d.HolderId), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.OriginalRequestId);
        f.Add(r.AmountFen);
        f.Add(r.MerchantId);
        f.Add(r.TerminalId);
    }
}

/// <summary>A hold released whole back to the purse: by its terminal, or by the engine past its deadline (no merchant).</summary>
public sealed class ReleaseHoldKind : TerminalKind
{
    public override TransactionKind Kind => TransactionKind.ReleaseHold;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) =>
        Validation.First(Hold(r), r.Caller == Caller.System ? null : Terminal(r));

    public override bool ActsOnOriginal => true;

    public override OriginalMark MarkOriginal(JournalEntry e) => new(true, 0);

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Holds(d.HolderId), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.OriginalRequestId);
        f.Add(r.MerchantId);
        f.Add(r.TerminalId);
    }
}
