using CampusCard.Clearing.Domain;
using CampusCard.Clearing.HotStore;

namespace CampusCard.Clearing.Host.Configuration;

internal sealed class HotStoreOptionsValidator(IConfiguration config) : SettingsValidator<HotStoreOptions>("HotStore")
{
    protected override void Check(HotStoreOptions o, SettingChecks checks)
    {
        checks.Required(nameof(o.KeyPrefix), o.KeyPrefix, "every Redis key of the service starts with it");
        // Redis keeps a record for whole seconds.
        checks.AtLeast(nameof(o.IdempotencyWindow), o.IdempotencyWindow, TimeSpan.FromSeconds(1));
        checks.Positive(nameof(o.AutoTopUpLifetime), o.AutoTopUpLifetime);
        // A partition is then a set of the journal's slots, so a rebuild reads its holders by index (Partitioning).
        if (!Partitioning.IsValidCount(o.Partitions))
            checks.Fail(nameof(o.Partitions), $"is {o.Partitions}: it must be a power of two from 1 to {Partitioning.MaxCount}");
        // A partition belongs to one journal database (journal placement: Domain/JournalPlacement.cs).
        else if (o.Partitions % JournalDatabases() != 0)
            checks.Fail(nameof(o.Partitions), $"is {o.Partitions}: it must be a multiple of the {JournalDatabases()} journal databases (ConnectionStrings__Journal and Journal__Databases__*), each of which owns whole partitions");
    }

    private int JournalDatabases() => config.GetSection("Journal:Databases").GetChildren().Count() + 1;
}
