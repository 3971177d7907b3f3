using CampusCard.Clearing.Engine;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class FinanceOptionsValidator() : SettingsValidator<FinanceOptions>("Finance")
{
    protected override void Check(FinanceOptions o, SettingChecks checks)
    {
        checks.NotNegative(nameof(o.SettlementInterval), o.SettlementInterval);
        checks.NotNegative(nameof(o.HotStateCheckInterval), o.HotStateCheckInterval);
        if (BankFileLayout.Problem(o.BankFile) is { } problem) checks.Fail(nameof(o.BankFile), $"is not a layout the service reads files by: {problem}");
    }
}
