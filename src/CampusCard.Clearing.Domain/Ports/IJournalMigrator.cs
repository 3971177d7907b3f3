namespace CampusCard.Clearing.Domain.Ports;

/// <summary>Brings the journal's database to this build's schema: the provider's numbered scripts, each once, and the code tables.</summary>
public interface IJournalMigrator
{
    /// <returns>The versions applied by this call.</returns>
    Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a migrated database the journal database numbered <paramref name="number"/> (<see cref="JournalPlacement"/>)
    /// the first time: from then on its holder ids and merchant numbers are in the number's range
    /// (<see cref="JournalPlacement.IdSpan"/>). Returns the number the database holds, which its first placement fixed.
    /// </summary>
    Task<short> PlaceAsync(short number, CancellationToken cancellationToken = default);

    /// <summary>The number the database was placed as; null when it was never placed (or not migrated).</summary>
    Task<short?> NumberAsync(CancellationToken cancellationToken = default);
}
