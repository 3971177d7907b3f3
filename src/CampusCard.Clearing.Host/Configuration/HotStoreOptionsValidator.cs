using CampusCard.Clearing.HotStore;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class HotStoreOptionsValidator : IValidateOptions<HotStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, HotStoreOptions o)
    {
        var checks = new SettingChecks("HotStore");
        checks.Required(nameof(o.KeyPrefix), o.KeyPrefix, "every Redis key of the service starts with it");
        // Redis keeps a record for whole seconds.
        checks.AtLeast(nameof(o.IdempotencyWindow), o.IdempotencyWindow, TimeSpan.FromSeconds(1));
        checks.Positive(nameof(o.AutoTopUpLifetime), o.AutoTopUpLifetime);
        return checks.Result();
    }
}
