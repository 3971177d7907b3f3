namespace CampusCard.Clearing.Domain;

/// <summary>
/// 开户发卡: the account the registry opened for a person gets its hot state and first card (<see cref="ClearingRequest.CardNo"/>,
/// of type <see cref="ClearingRequest.Code"/>, the holder's name as <see cref="ClearingRequest.Memo"/>), with the
/// type's limits. Its request id is fixed per person, so a second
/// OpenAccount is a retry or a conflict, never a second account (art. 14).
/// </summary>
public sealed class OpenCardKind : KindDescriptor
{
    public const string RequestId = "open-account";

    public override TransactionKind Kind => TransactionKind.OpenCard;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        CardNumbers.Validate("card_no", r.CardNo),
        Validation.Defined("card_type", (CardType)r.Code),
        Validation.Text("name", r.Memo, 100, required: true),
        r.HolderId > 0 ? null : new Violation("person_no", "the account has no holder id"));

    /// <summary>Terms: A the single limit, B the daily limit of the card type.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context)
    {
        var rules = context.Cards.Of((CardType)r.Code);
        return r with { Terms = new Terms(rules.SingleLimitFen, rules.DailyLimitFen) };
    }

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.CardNo);
        f.Add(r.Code);
        f.Add(r.Memo);
    }
}
