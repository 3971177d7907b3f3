namespace CampusCard.Clearing.Domain;

/// <summary>The bank gateway moves money from the bound bank card to the e-wallet, one way (handbook 6.2).</summary>
public sealed class TopUpWalletKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.TopUpWallet;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.Amount(r.AmountFen);

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.System(SystemAccount.BankClearing), AccountRef.Wallet(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r) => f.Add(r.AmountFen);
}
