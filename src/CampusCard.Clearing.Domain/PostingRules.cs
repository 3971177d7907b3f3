namespace CampusCard.Clearing.Domain;

/// <summary>
/// Which accounts a decided transaction moves. Every kind moves one amount from one account to
/// another, so its postings sum to zero by construction; a decline moves nothing.
/// </summary>
public static class PostingRules
{
    public static Legs? LegsOf(ClearingRequest request, Decision decision)
    {
        if (decision.Outcome != Outcome.Approved || decision.MovedFen == 0) return null;
        var (from, to) = Accounts(request, decision);
        return new Legs(from, to, decision.MovedFen);
    }

    public static IReadOnlyList<Posting> For(ClearingRequest request, Decision decision) => LegsOf(request, decision)?.Postings ?? [];

    private static (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) => r.Kind switch
    {
        TransactionKind.Debit => (AccountRef.Purse(r.HolderId), AccountRef.Merchant(r.MerchantNo)),
        TransactionKind.Reversal => (AccountRef.Merchant(d.MerchantNo), AccountRef.Purse(r.HolderId)),
        TransactionKind.QuotaTopUp => (AccountRef.System(SystemAccount.BankClearing), AccountRef.Purse(r.HolderId)),
        TransactionKind.Credit => (AccountRef.System(r.Source), AccountRef.Purse(r.HolderId)),
        TransactionKind.Transfer when r.Direction == TransferDirection.PurseToWallet => (AccountRef.Purse(r.HolderId), AccountRef.Wallet(r.HolderId)),
        TransactionKind.Transfer => (AccountRef.Wallet(r.HolderId), AccountRef.Purse(r.HolderId)),
        _ => throw new ArgumentOutOfRangeException(nameof(r), r.Kind, "no posting rule for this kind"),
    };
}
