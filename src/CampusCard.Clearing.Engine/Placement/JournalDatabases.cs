using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine.Placement;

/// <summary>One journal database of the deployment: its number, the name configuration and the Admin API give it, and the provider's journal, registry and migrator on it.</summary>
public sealed record JournalDatabase(short Number, string Name, IJournal Journal, IRegistry Registry, IJournalMigrator Migrator);

/// <summary>
/// The deployment's journal databases, by number (<see cref="JournalPlacement"/>), and which of them holds what: a campus's
/// rows, a partition's transactions, a holder or merchant by its number. <see cref="PrepareAsync"/> makes each the number
/// configuration gives it, and learns where every campus is.
/// </summary>
public sealed class JournalDatabases
{
    private readonly JournalDatabase[] _all;

    /// <param name="databases">Numbered 0 (the main one) to their count - 1, each once.</param>
    public JournalDatabases(IReadOnlyList<JournalDatabase> databases)
    {
        _all = [.. databases.OrderBy(d => d.Number)];
        for (var i = 0; i < _all.Length; i++)
            if (_all[i].Number != i) throw new ArgumentException($"journal databases are numbered 0 to {_all.Length - 1}, each once", nameof(databases));
        Placement = new JournalPlacement(_all.Length);
    }

    public JournalPlacement Placement { get; }

    /// <summary>Every database, by number.</summary>
    public IReadOnlyList<JournalDatabase> All => _all;

    /// <summary>Database 0, ConnectionStrings:Journal: it holds the campuses.</summary>
    public JournalDatabase Main => _all[0];

    /// <summary>The database of that name; null when the deployment has none.</summary>
    public JournalDatabase? Named(string name) => Array.Find(_all, d => d.Name == name);

    /// <summary>The database of the campus's journal and registry.</summary>
    public JournalDatabase OfCampus(short campus) => _all[Placement.DatabaseOf(campus)];

    /// <summary>The database that owns the partition.</summary>
    public JournalDatabase OfPartition(int partition) => _all[Placement.DatabaseOfPartition(partition)];

    /// <summary>The database of a transaction: its partition's.</summary>
    public JournalDatabase OfTransaction(long transactionId) => OfPartition(TransactionIds.PartitionOf(transactionId));

    /// <summary>The database of a holder id or a merchant number (<see cref="JournalPlacement.IdSpan"/>).</summary>
    public JournalDatabase OfId(long id)
    {
        var number = JournalPlacement.DatabaseOfId(id);
        return number >= 0 && number < _all.Length ? _all[number] : throw new ArgumentOutOfRangeException(nameof(id), id, $"no journal database numbers {id}");
    }

    /// <summary>Records that rows of the campus came from <paramref name="database"/>: a campus's rows are in its database only.</summary>
    public void Found(short campus, JournalDatabase database) => Placement.Place(campus, database.Number);

    /// <summary>
    /// Migrates every database (when <paramref name="migrate"/>) and places it as its number the first time; checks each
    /// holds the number configuration gives it; learns every campus's database from the main one, and records each
    /// campus in its database (a copy a failed creation left out). A database that cannot be reached fails it (retry).
    /// </summary>
    /// <exception cref="JournalPlacementException">A database holds another number, was never placed, or a campus is placed in a database not configured.</exception>
    public async Task PrepareAsync(bool migrate, CancellationToken cancellationToken)
    {
        foreach (var database in _all)
        {
            if (migrate) await database.Migrator.MigrateAsync(cancellationToken);
            var number = migrate ? await database.Migrator.PlaceAsync(database.Number, cancellationToken) : await database.Migrator.NumberAsync(cancellationToken);
            if (number != database.Number) throw new JournalPlacementException(Misplaced(database, number));
        }
        foreach (var campus in await Main.Registry.CampusesAsync(cancellationToken))
        {
            if (campus.JournalDatabase >= _all.Length)
                throw new JournalPlacementException($"campus '{campus.Code}' ({campus.No}) is placed in journal database {campus.JournalDatabase}, which no Journal__Databases__<name>__Number names");
            Placement.Place(campus.No, campus.JournalDatabase);
            if (migrate && campus.JournalDatabase != Main.Number) await _all[campus.JournalDatabase].Registry.PlaceCampusAsync(campus, Copier, cancellationToken);
        }
    }

    /// <summary>Who a copy of a campus the start made records as its creator (the main database's row says who created it).</summary>
    public const string Copier = "journal placement";

    /// <summary>The setting of the database, as an operator sets it.</summary>
    public static string Setting(JournalDatabase database) =>
        database.Number == 0 ? "ConnectionStrings__Journal" : $"Journal__Databases__{database.Name}__ConnectionString";

    private static string Misplaced(JournalDatabase database, short? number) => number is { } other
        ? $"{Setting(database)} names journal database {other}, not {database.Number} ('{database.Name}'): a database keeps the number it was first migrated as"
        : $"{Setting(database)} names a database that was never placed as journal database {database.Number}: run the host's migrate command, or start with Journal__MigrateOnStart=true";
}

/// <summary>The journal databases do not match the configuration: the service does not start (exit code 2), with this line.</summary>
public sealed class JournalPlacementException(string message) : Exception(message);
