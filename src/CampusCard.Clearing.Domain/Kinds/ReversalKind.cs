namespace CampusCard.Clearing.Domain;

/// <summary>
/// 冲正: a terminal undoes a debit of its own merchant by the debit's request id, at most once. A reversal that
/// arrives before its original is approved and leaves a tombstone, so the late original is declined.
/// </summary>
public sealed class ReversalKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Reversal;

    public override Addressing Addressing => Addressing.Card;

    public override bool AcrossCardGroup => true;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.RequestId(r.OriginalRequestId, "original_request_id"),
        r.RequestId == r.OriginalRequestId ? Validation.Fail("original_request_id", "must differ from request_id") : null,
        Validation.Identifier("merchant_id", r.MerchantId, 32),
        Validation.Identifier("terminal_id", r.TerminalId, 32));

    public override bool ActsOnOriginal => true;

    /// <summary>A reversal of an original that never arrived leaves a tombstone instead (the rebuild makes it).</summary>
    public override OriginalMark MarkOriginal(JournalEntry e) => new(e.Decision.Effect != Effect.OriginalUnknown, 0);

    /// <summary>The merchant is the original debit's, as the hot store found it.</summary>
    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Merchant(d.MerchantNo), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.OriginalRequestId);
        f.Add(r.MerchantId);
        f.Add(r.TerminalId);
    }
}
