namespace CampusCard.Clearing.Domain;

/// <summary>圈存: the bank gateway moves money from the bound bank card (bank clearing) to the purse, under its channel's rules.</summary>
public sealed class QuotaTopUpKind : KindDescriptor
{
    public const string DefaultChannel = "bank";

    public override TransactionKind Kind => TransactionKind.QuotaTopUp;

    public override Addressing Addressing => Addressing.Person;

    protected override string? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        context.Channels.ContainsKey(r.Channel) ? null : $"channel must be one of {string.Join(", ", context.Channels.Keys)}");

    /// <summary>Handbook 3.1: the bank's online channel takes 20 to 200 yuan, from 05:00 to 22:00 (configuration).</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context) =>
        r with { PreDecline = context.Channels[r.Channel].Check(r.AmountFen, TimeOnly.FromDateTime(context.Calendar.Local(context.Now).DateTime)) };

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.System(SystemAccount.BankClearing), AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.Channel);
    }
}
