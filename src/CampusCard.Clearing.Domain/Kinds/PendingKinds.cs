namespace CampusCard.Clearing.Domain;

/// <summary>
/// 领取补助 / 确认转账 (handbook 2.2, 3.1 way two): with the card at a kiosk, every pending amount, top-ups and subsidies
/// alike, into the purse in one transaction.
/// </summary>
public sealed class ClaimKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Claim;

    public override Addressing Addressing => Addressing.Card;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => null;

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Pending(d.HolderId), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
    }
}

/// <summary>
/// 补助: one row of a subsidy batch, subsidy fund → the person's pending balance. Its request id is the batch's, so a
/// batch uploaded again issues each row once.
/// </summary>
public sealed class SubsidyKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Subsidy;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.Text("memo", r.Memo, 200, required: false));

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.System(SystemAccount.SubsidyFund), AccountRef.Pending(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.Memo);
    }
}

/// <summary>
/// A person's subsidy of a batch (<see cref="ClearingRequest.OriginalRequestId"/>, the batch id), unclaimed after the
/// batch's deadline, back to the subsidy fund.
/// </summary>
public sealed class RecallSubsidyKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.RecallSubsidy;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) =>
        Validation.RequestId(r.OriginalRequestId, "batch_id");

    public override bool ActsOnOriginal => true;

    public override OriginalMark MarkOriginal(JournalEntry e) => new(true, 0);

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Pending(d.HolderId), AccountRef.System(SystemAccount.SubsidyFund));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r) => f.Add(r.OriginalRequestId);
}
