using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>Each top-up channel can take some amount at some hour, and the channel a top-up names by default exists.</summary>
internal sealed class ChannelOptionsValidator(IConfiguration config) : SettingsValidator<ChannelOptions>("Channels")
{
    protected override void Check(ChannelOptions channels, SettingChecks checks)
    {
        // The binder leaves out a channel with a value it cannot convert; bound alone, the value's error names it.
        foreach (var unread in config.GetSection("Channels").GetChildren().Where(c => !channels.ContainsKey(c.Key)))
        {
            if (unread.Get<ChannelRules>() is null) checks.Fail(unread.Key, "holds no rules (MinFen, MaxFen, OpensAt, ClosesAt, ToPending)");
        }
        if (!channels.ContainsKey(QuotaTopUpKind.DefaultChannel))
            checks.Fail(QuotaTopUpKind.DefaultChannel, "is not configured: a top-up that names no channel goes through it");
        foreach (var (channel, rules) in channels)
        {
            checks.Within($"{channel}__{nameof(rules.MinFen)}", rules.MinFen, 0, Validation.MaxAmountFen);
            checks.Within($"{channel}__{nameof(rules.MaxFen)}", rules.MaxFen, 1, Validation.MaxAmountFen);
            if (rules.MinFen > rules.MaxFen)
                checks.Fail($"{channel}__{nameof(rules.MinFen)}", $"is {rules.MinFen}, more than {checks.Name($"{channel}__{nameof(rules.MaxFen)}")} ({rules.MaxFen}): no amount could be topped up");
            if (rules.OpensAt > rules.ClosesAt)
                checks.Fail($"{channel}__{nameof(rules.OpensAt)}", $"is {rules.OpensAt:HH:mm}, after {checks.Name($"{channel}__{nameof(rules.ClosesAt)}")} ({rules.ClosesAt:HH:mm}): the channel would never be open");
        }
    }
}
