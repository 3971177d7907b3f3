namespace CampusCard.Clearing.Domain;

/// <summary>
/// Which accounts a decided transaction moves. Invariant: the postings of a transaction sum to zero;
/// a decline moves nothing.
/// </summary>
public static class PostingRules
{
    public static IReadOnlyList<Posting> For(ClearingRequest request, Decision decision)
    {
        if (decision.Outcome != Outcome.Approved || decision.MovedFen == 0) return [];
        var (from, to) = Legs(request, decision);
        return [new Posting(from, -decision.MovedFen), new Posting(to, decision.MovedFen)];
    }

    private static (AccountRef From, AccountRef To) Legs(ClearingRequest r, Decision d) => r.Kind switch
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
