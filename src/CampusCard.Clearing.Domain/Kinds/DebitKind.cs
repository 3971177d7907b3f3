namespace CampusCard.Clearing.Domain;

/// <summary>消费: a terminal takes money from the purse of the card presented for its merchant.</summary>
public sealed class DebitKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Debit;

    public override Addressing Addressing => Addressing.Card;

    protected override string? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.Identifier("merchant_id", r.MerchantId, 32),
        Validation.Identifier("terminal_id", r.TerminalId, 32));

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Purse(d.HolderId), AccountRef.Merchant(r.MerchantNo));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.MerchantId);
        f.Add(r.TerminalId);
    }
}
