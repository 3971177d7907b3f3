namespace CampusCard.Clearing.Domain;

/// <summary>
/// 圈存: the bank gateway moves money from the bound bank card (bank clearing) to the purse, under its channel's rules;
/// through a channel whose card must confirm it, to pending (<see cref="Effect.ToPending"/>). <see cref="ClearingRequest.Ref"/>
/// names the auto top-up request it answers (自动转账), funded at most once.
/// </summary>
public sealed class QuotaTopUpKind : KindDescriptor
{
    public const string DefaultChannel = "bank";

    public override TransactionKind Kind => TransactionKind.QuotaTopUp;

    public override Addressing Addressing => Addressing.Person;

    protected override Violation? ValidateContent(ClearingRequest r, KindContext context) => Validation.First(
        Validation.Amount(r.AmountFen),
        r.Ref < 0 ? Validation.Fail("auto_top_up_id", "may not be negative") : null,
        context.Channels.ContainsKey(r.Channel) ? null : Validation.Fail("channel", $"must be one of {string.Join(", ", context.Channels.Keys)}"));

    /// <summary>Handbook 3.1: the bank's online channel takes 20 to 200 yuan, from 05:00 to 22:00 (configuration). Terms: A 1 to pending.</summary>
    public override ClearingRequest Admit(ClearingRequest r, KindContext context)
    {
        var channel = context.Channels[r.Channel];
        return r with
        {
            PreDecline = channel.Check(r.AmountFen, TimeOnly.FromDateTime(context.Calendar.Local(context.Now).DateTime)),
            Terms = new Terms(channel.ToPending ? 1 : 0, 0),
        };
    }

    public override (AccountRef From, AccountRef To) Accounts(ClearingRequest r, Decision d) =>
        (AccountRef.System(SystemAccount.BankClearing), d.Effect == Effect.ToPending ? AccountRef.Pending(d.HolderId) : AccountRef.Purse(d.HolderId));

    protected override void AddContent(ref Fingerprint f, ClearingRequest r)
    {
        f.Add(r.AmountFen);
        f.Add(r.Channel);
        f.Add(r.Ref);
    }
}
