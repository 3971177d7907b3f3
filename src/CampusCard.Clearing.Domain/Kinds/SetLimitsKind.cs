namespace CampusCard.Clearing.Domain;

/// <summary>
/// 修改限额 at a kiosk with the card and its PIN (handbook Q&amp;A 1: 可以根据本人需求到校园卡自助终端机修改): the single limit
/// (<see cref="ClearingRequest.AmountFen"/>) and the daily one (<see cref="ClearingRequest.LimitFen"/>); 0 is no limit.
/// </summary>
public sealed class SetLimitsKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.SetLimits;

    public override Addressing Addressing => Addressing.Card;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Limit("single_limit_fen", r.AmountFen),
        Limit("daily_limit_fen", r.LimitFen),
        r.AmountFen > 0 && r.LimitFen > 0 && r.AmountFen > r.LimitFen ? Validation.Fail("single_limit_fen", "may not exceed daily_limit_fen") : null);

    /// <summary>Terms: A the wrong PINs in a row that lock the PIN.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) => r with { Terms = new Terms(context.Cards.PinAttempts, 0) };

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.LimitFen);
    }

    private static Violation? Limit(string field, long fen) => fen is < 0 or > Validation.MaxAmountFen ? Validation.Fail(field, $"must be 0 (no limit) to {Validation.MaxAmountFen}") : null;
}
