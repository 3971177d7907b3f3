using CampusCard.Clearing.Domain;
using CampusCard.Clearing.HotStore;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class HotStoreOptionsValidator() : SettingsValidator<HotStoreOptions>("HotStore")
{
    protected override void Check(HotStoreOptions o, SettingChecks checks)
    {
        checks.Required(nameof(o.KeyPrefix), o.KeyPrefix, "every Redis key of the service starts with it");
        checks.Within(nameof(o.Partitions), o.Partitions, 1, Partitioning.MaxCount);
        // Redis keeps a record for whole seconds.
        checks.AtLeast(nameof(o.IdempotencyWindow), o.IdempotencyWindow, TimeSpan.FromSeconds(1));
        checks.Positive(nameof(o.AutoTopUpLifetime), o.AutoTopUpLifetime);
    }
}
