using CampusCard.Clearing.Engine;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class FinanceOptionsValidator : IValidateOptions<FinanceOptions>
{
    public ValidateOptionsResult Validate(string? name, FinanceOptions o)
    {
        var checks = new SettingChecks("Finance");
        checks.NotNegative(nameof(o.SettlementInterval), o.SettlementInterval);
        checks.NotNegative(nameof(o.HotStateCheckInterval), o.HotStateCheckInterval);
        return checks.Result();
    }
}
