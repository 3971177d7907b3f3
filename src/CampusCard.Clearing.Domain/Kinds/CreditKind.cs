namespace CampusCard.Clearing.Domain;

/// <summary>An adjustment by the card office: a named system account to the purse, with a memo for the journal.</summary>
public sealed class CreditKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Credit;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.Defined("source", r.Source),
        Validation.Text("memo", r.Memo, 200, required: false));

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.System(r.Source), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add((long)r.Source);
        f.Add(r.Memo);
    }
}
