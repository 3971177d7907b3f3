namespace CampusCard.Clearing.Domain;

/// <summary>
/// 自动转账 (CUMT, recommended there) set at a kiosk with the card and its PIN: below the threshold
/// (<see cref="ClearingRequest.LimitFen"/>) the engine asks the bank gateway for <see cref="ClearingRequest.AmountFen"/>;
/// both 0 turn it off.
/// </summary>
public sealed class SetAutoTopUpKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.SetAutoTopUp;

    public override Addressing Addressing => Addressing.Card;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) =>
        (r.AmountFen, r.LimitFen) switch
        {
            (0, 0) => null,
            ( <= 0 or > Validation.MaxAmountFen, _) => Validation.Fail("amount_fen", $"must be 1 to {Validation.MaxAmountFen} (both 0 turn auto top-up off)"),
            (_, <= 0 or > Validation.MaxAmountFen) => Validation.Fail("threshold_fen", $"must be 1 to {Validation.MaxAmountFen} (both 0 turn auto top-up off)"),
            _ => null,
        };

    /// <summary>Terms: A the wrong PINs in a row that lock the PIN.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) => r with { Terms = new Terms(context.Cards.PinAttempts, 0) };

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.LimitFen);
    }
}
