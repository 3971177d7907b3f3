namespace CampusCard.Clearing.Domain;

/// <summary>Between one person's purse and e-wallet (电子支付平台资金账户), either way; no overdraft (handbook 6.2).</summary>
public sealed class TransferKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Transfer;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.Defined("direction", r.Direction));

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) => r.Direction == TransferDirection.PurseToWallet
        ? (AccountRef.Purse(d.HolderId), AccountRef.Wallet(d.HolderId))
        : (AccountRef.Wallet(d.HolderId), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add((long)r.Direction);
    }
}
