using CampusCard.Clearing.Engine;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class FinanceOptionsValidator() : SettingsValidator<FinanceOptions>("Finance")
{
    protected override void Check(FinanceOptions o, SettingChecks checks)
    {
        checks.NotNegative(nameof(o.SettlementInterval), o.SettlementInterval);
        checks.NotNegative(nameof(o.HotStateCheckInterval), o.HotStateCheckInterval);
    }
}
