namespace CampusCard.Clearing.Domain;

/// <summary>A change of a card's state that moves no money: its content is its reason code and its flag.</summary>
public abstract class CardStateKind : KindDescriptor
{
    public override Addressing Addressing => Addressing.CardOrPerson;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => null;

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.Code);
        f.Add(r.Flag ? 1 : 0);
    }
}

/// <summary>挂失 (handbook 4.1): by web, phone, WeChat, kiosk or the office, by card or person number.</summary>
public sealed class ReportLossKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.ReportLoss;
}

/// <summary>
/// 解挂: at the office, or self-service at a kiosk (<see cref="ClearingRequest.Flag"/>) with the card PIN and the ID
/// number (the verdicts: <see cref="ClearingRequest.Pin"/>, <see cref="ClearingRequest.IdNumber"/>; a wrong ID number counts
/// as a wrong PIN), declined DEFAULT_PIN while the PIN is the default one (handbook 4.2).
/// </summary>
public sealed class CancelLossKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.CancelLoss;

    /// <summary>Terms: A the wrong PINs in a row that lock the PIN.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) => r with { Terms = new Terms(context.Cards.PinAttempts, 0) };
}

/// <summary>冻结 for a <see cref="FreezeReason"/> (handbook Q&amp;A 3, art. 19, 20).</summary>
public sealed class FreezeKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.Freeze;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) =>
        (FreezeReason)r.Code != FreezeReason.None && Enum.IsDefined((FreezeReason)r.Code)
            ? null
            : Validation.Fail("reason", $"must be one of {string.Join(", ", Enum.GetNames<FreezeReason>().Skip(1))}");
}

/// <summary>
/// 解冻 of one <see cref="FreezeReason"/> (<see cref="ClearingRequest.Code"/>) or of every reason (None): at once, or approved for
/// the cardholder to finish at a kiosk (<see cref="ClearingRequest.Flag"/>). An overdraft's freeze lifts only once it is repaid (art. 19).
/// </summary>
public sealed class UnfreezeKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.Unfreeze;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.Defined("reason", (FreezeReason)r.Code);
}

/// <summary>档案重写: the cardholder finishes at a kiosk, with the card, an unfreeze the office approved (Q&amp;A 3).</summary>
public sealed class RewriteCardKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.RewriteCard;

    public override Addressing Addressing => Addressing.Card;
}

/// <summary>支付密码重置: the office clears the payment password and its lock; the cardholder sets a new one with the card PIN (handbook 6.1).</summary>
public sealed class ResetPaymentPasswordKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.ResetPaymentPassword;

    public override Addressing Addressing => Addressing.Person;
}

/// <summary>密码重置 (Q&amp;A 2): the office sets the PIN back to the default one and unlocks it.</summary>
public sealed class ResetPinKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.ResetPin;

    public override Addressing Addressing => Addressing.Person;
}

/// <summary>
/// 修改密码 at a kiosk with the card and the old PIN. The new PIN is not content (a secret): the service stores its hash once
/// the change is approved. <see cref="ClearingRequest.Flag"/>: the new PIN is the default one again.
/// </summary>
public sealed class ChangePinKind : CardStateKind
{
    public override TransactionKind Kind => TransactionKind.ChangePin;

    public override Addressing Addressing => Addressing.Card;

    /// <summary>Terms: A the wrong PINs in a row that lock the PIN.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) => r with { Terms = new Terms(context.Cards.PinAttempts, 0) };
}
