namespace CampusCard.Clearing.Domain;

/// <summary>
/// 设置支付密码 (handbook 6.1: set it first thing after logging in; art. 18: it is not the card PIN). The first with the card
/// PIN, then with the password it replaces (<see cref="ClearingRequest.Flag"/>: the verdict in <see cref="ClearingRequest.Pin"/>
/// is the old password's). The new password is not content: the service stores its hash once this is approved.
/// </summary>
public sealed class SetPaymentPasswordKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.SetPaymentPassword;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => null;

    /// <summary>Terms: A the wrong secrets in a row that lock the one checked.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) =>
        r with { Terms = new Terms(r.Flag ? context.Cards.PaymentPasswordAttempts : context.Cards.PinAttempts, 0) };

    protected override void AddContent(ref Fingerprint f, ClearingRequest r) => f.Add(r.Flag ? 1 : 0);
}

/// <summary>
/// 自助缴费 (handbook 5.2, 7.1): <see cref="ClearingRequest.AmountFen"/> from the e-wallet or the purse (<see cref="ClearingRequest.Code"/>,
/// an <see cref="AccountKind"/>) to a payee merchant, with the payment password.
/// </summary>
public sealed class PaymentKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Payment;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.Identifier("payee_merchant_id", r.MerchantId, 32),
        PaymentSources.Validate(r.Code));

    /// <summary>Terms: A the wrong payment passwords in a row that lock it.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) =>
        r with { Terms = new Terms(context.Cards.PaymentPasswordAttempts, 0) };

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Of((AccountKind)r.Code, d.HolderId), AccountRef.Merchant(r.MerchantNo));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.MerchantId);
        f.Add(r.Code);
    }
}

/// <summary>
/// A payee gives back part or all of a payment (<see cref="ClearingRequest.OriginalRequestId"/>), to the account it came
/// from (<see cref="ClearingRequest.Code"/>); refunds together never pass what was paid.
/// </summary>
public sealed class PaymentRefundKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.PaymentRefund;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        Validation.RequestId(r.OriginalRequestId, "payment_request_id"),
        r.RequestId == r.OriginalRequestId ? Validation.Fail("payment_request_id", "must differ from request_id") : null,
        Validation.Identifier("payee_merchant_id", r.MerchantId, 32),
        PaymentSources.Validate(r.Code));

    public override bool ActsOnOriginal => true;

    public override OriginalMark MarkOriginal(JournalEntry e) => new(false, e.Decision.MovedFen);

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Merchant(r.MerchantNo), AccountRef.Of((AccountKind)r.Code, d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.OriginalRequestId);
        f.Add(r.AmountFen);
        f.Add(r.MerchantId);
    }
}

public static class PaymentSources
{
    public static Violation? Validate(short code) =>
        (AccountKind)code is AccountKind.Purse or AccountKind.Wallet ? null : Validation.Fail("source", "must be WALLET or PURSE");
}
