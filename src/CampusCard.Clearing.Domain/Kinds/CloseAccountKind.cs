namespace CampusCard.Clearing.Domain;

/// <summary>
/// 报退 (art. 14, 15): the purse refunded purse → refunds payable, the card dead, the person number never reopened. The
/// e-wallet and the pending balance must be moved to the purse first.
/// </summary>
public sealed class CloseAccountKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.CloseAccount;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => null;

    public override bool ClosesAccount => true;

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Purse(d.HolderId), AccountRef.System(SystemAccount.RefundsPayable));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
    }
}
