namespace CampusCard.Clearing.Domain;

/// <summary>
/// 脱机流水上传: a debit a terminal made while offline (<see cref="ClearingRequest.Ref"/> its sequence number,
/// <see cref="ClearingRequest.OccurredAtMs"/> when), recorded once per (terminal, sequence) whatever the card's state and
/// balance now (docs/invariants.md, invariant 3's exception: it may overdraw, and then freezes the card, art. 19). One older
/// than <see cref="CardRules.OfflineMaxAge"/> is declined OFFLINE_RECORD_TOO_OLD and not booked.
/// </summary>
public sealed class OfflineDebitKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.OfflineDebit;

    public override Addressing Addressing => Addressing.Card;

    public override bool AcrossCardGroup => true;

    /// <summary>The request id of a terminal's record: the terminal and its sequence number name it.</summary>
    public static string RequestIdOf(string terminalId, long terminalSeq) => $"offline:{terminalId}:{terminalSeq}";

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.Identifier("merchant_id", r.MerchantId, 32),
        Validation.Identifier("terminal_id", r.TerminalId, 32),
        r.Ref < 0 ? Validation.Fail("terminal_seq", "may not be negative") : null,
        r.OccurredAtMs <= 0 ? Validation.Fail("occurred_at", "is required") : null,
        r.OccurredAtMs > (context.Now + context.Cards.OfflineClockSkew).ToUnixTimeMilliseconds() ? Validation.Fail("occurred_at", "is in the future") : null);

    public override ClearingRequest Admit(ClearingRequest r, KindContext context) =>
        r.OccurredAtMs < (context.Now - context.Cards.OfflineMaxAge).ToUnixTimeMilliseconds() ? r with { PreDecline = DeclineReason.OfflineRecordTooOld } : r;

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Purse(d.HolderId), AccountRef.Merchant(r.MerchantNo));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.MerchantId);
        f.Add(r.TerminalId);
        f.Add(r.Ref);
        f.Add(r.OccurredAtMs);
    }
}
