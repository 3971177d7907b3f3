namespace CampusCard.Clearing.Domain;

/// <summary>
/// 结算 (art. 8: 将校园卡刷卡消费或缴费收入定期进行结算): a merchant's net takings of one business day
/// (<see cref="ClearingRequest.Ref"/>), merchant → bank clearing, once per (merchant, day): its request id names the day,
/// its scope the merchant.
/// </summary>
public sealed class SettlementKind : KindDescriptor
{
    public override TransactionKind Kind => TransactionKind.Settlement;

    public override Addressing Addressing => Addressing.Merchant;

    public static string RequestIdOf(DateOnly day) => $"settlement-{day:yyyy-MM-dd}";

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        r.AmountFen is < 0 or > long.MaxValue / 4 ? Validation.Fail("amount_fen", "may not be negative") : null,
        r.Ref <= 0 ? Validation.Fail("the", "business day is required") : null);

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.Merchant(r.MerchantNo), AccountRef.System(SystemAccount.BankClearing));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.Ref);
    }
}
