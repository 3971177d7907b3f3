namespace CampusCard.Clearing.Domain;

/// <summary>
/// 消费: a terminal takes money from the purse of the card presented for its merchant; over the card's single or daily
/// limit only with the card PIN (一密两限, handbook Q&amp;A 1), which is not content: a debit declined PIN_REQUIRED is sent
/// again with a new request id and the PIN.
/// </summary>
public sealed class DebitKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Debit;

    public override Addressing Addressing => Addressing.Card;

    public override bool AcrossCardGroup => true;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.Identifier("merchant_id", r.MerchantId, 32),
        Validation.Identifier("terminal_id", r.TerminalId, 32));

    /// <summary>Terms: A the wrong PINs in a row that lock the PIN (a debit over a limit needs it), B 1 to claim pending amounts first.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) =>
        r with { Terms = new Terms(context.Cards.PinAttempts, context.Cards.AutoClaim ? 1 : 0) };

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Purse(d.HolderId), AccountRef.Merchant(r.MerchantNo));

    /// <summary>The pending amount claimed first (<see cref="Effect.AutoClaimed"/>).</summary>
    public override (AccountRef From, AccountRef To) SideAccounts(ClearingRequest r, Decision d) =>
        (AccountRef.Pending(d.HolderId), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.MerchantId);
        f.Add(r.TerminalId);
    }
}
