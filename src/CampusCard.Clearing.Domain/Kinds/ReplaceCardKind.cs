namespace CampusCard.Clearing.Domain;

/// <summary>
/// 补办: a new card (<see cref="ClearingRequest.CardNo"/>) for a <see cref="ReplaceReason"/> (<see cref="ClearingRequest.Code"/>;
/// <see cref="ClearingRequest.Flag"/>: visible damage). The old number dies at once; the balance and limits carry over;
/// the fee 工本费 of the card type (art. 11) goes purse → fee income, free for a chip failure without visible damage
/// within a year of issue (art. 12), and only with the configured minimum on the purse (CUMT: 20 yuan).
/// </summary>
public sealed class ReplaceCardKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.ReplaceCard;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        CardNumbers.Validate("card_no", r.CardNo),
        Validation.Defined("reason", (ReplaceReason)r.Code),
        Validation.Defined("card_type", r.CardType));

    /// <summary>The fee as <see cref="ClearingRequest.AmountFen"/>; terms: A the minimum purse, B the free chip replacement days.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) => r with
    {
        AmountFen = context.Cards.Of(r.CardType).ReplacementFeeFen,
        Terms = new Terms(context.Cards.ReplacementMinimumFen, context.Cards.FreeChipReplacementDays),
    };

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Purse(d.HolderId), AccountRef.System(SystemAccount.FeeIncome));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.CardNo);
        f.Add(r.Code);
        f.Add(r.Flag ? 1 : 0);
    }
}
