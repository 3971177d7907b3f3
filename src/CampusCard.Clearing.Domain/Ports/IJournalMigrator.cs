namespace CampusCard.Clearing.Domain.Ports;

/// <summary>Brings the journal's database to this build's schema: the provider's numbered scripts, each once, and the code tables.</summary>
public interface IJournalMigrator
{
    /// <returns>The versions applied by this call.</returns>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default);
}
