using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class CardRulesValidator() : SettingsValidator<CardRules>("Cards")
{
    protected override void Check(CardRules o, SettingChecks checks)
    {
        checks.AtLeast(nameof(o.PinAttempts), o.PinAttempts, 1);
        checks.AtLeast(nameof(o.PaymentPasswordAttempts), o.PaymentPasswordAttempts, 1);
        checks.AtLeast(nameof(o.MaxHoldLifetime), o.MaxHoldLifetime, TimeSpan.FromSeconds(1));
        checks.NotNegative(nameof(o.OfflineClockSkew), o.OfflineClockSkew);
        checks.AtLeast(nameof(o.OfflineMaxAge), o.OfflineMaxAge, TimeSpan.FromHours(1));
        checks.AtLeast(nameof(o.SubsidyClaimDays), o.SubsidyClaimDays, 1);
        checks.Within(nameof(o.ReplacementMinimumFen), o.ReplacementMinimumFen, 0, Validation.MaxAmountFen);
        checks.AtLeast(nameof(o.FreeChipReplacementDays), o.FreeChipReplacementDays, 0);
        checks.AtLeast(nameof(o.SecretHashIterations), o.SecretHashIterations, 1);
        if (!Enum.IsDefined(o.DefaultPin))
            checks.Fail(nameof(o.DefaultPin), $"is {o.DefaultPin}: it must be {string.Join(" or ", Enum.GetNames<DefaultPinRule>())}");
        foreach (var type in Enum.GetValues<CardType>())
        {
            var rules = o.Of(type);
            checks.Within($"{type}__{nameof(rules.SingleLimitFen)}", rules.SingleLimitFen, 0, Validation.MaxAmountFen);
            checks.Within($"{type}__{nameof(rules.DailyLimitFen)}", rules.DailyLimitFen, 0, Validation.MaxAmountFen);
            checks.Within($"{type}__{nameof(rules.ReplacementFeeFen)}", rules.ReplacementFeeFen, 0, Validation.MaxAmountFen);
        }
    }
}
