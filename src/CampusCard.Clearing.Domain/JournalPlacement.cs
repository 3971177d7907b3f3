using System.Collections.Concurrent;

namespace CampusCard.Clearing.Domain;

/// <summary>
/// Journal placement (docs/scaling.md): a deployment's journal may be several databases of one provider, and each campus's
/// journal and registry live in one of them. Each database has a number: the main one (ConnectionStrings:Journal, which
/// holds the campuses) 0, the others' configured (Journal:Databases:&lt;name&gt;:Number) and stored in each database when it is
/// first migrated. With <see cref="Databases"/> databases, database <c>i</c> owns the hot state's partitions
/// <c>p % Databases == i</c>, and a campus's tags fall only into its database's partitions (<see cref="Partitioning.Of"/>):
/// a partition's share of a batch commits in one database transaction. A holder id and a merchant number tell their
/// database (<see cref="DatabaseOfId"/>). A campus never moves from its database.
/// </summary>
public sealed class JournalPlacement
{
    /// <summary>The main database's name, where the configuration and the Admin API name it.</summary>
    public const string Main = "main";

    /// <summary>
    /// Database <c>n</c> numbers its holders and merchants from <c>n × IdSpan + 1</c> (below <c>(n + 1) × IdSpan</c>): so a holder
    /// id and a merchant number are unique across databases and tell their database. The main database's numbers run
    /// from 1, as before placement. Ids stay below 2^53 (the Lua of the hot state holds them as doubles) for every count
    /// of databases a count of partitions allows.
    /// </summary>
    public const long IdSpan = 1L << 40;

    /// <summary>A database owns whole partitions, so there are at most as many databases as partitions can be.</summary>
    public const int MaxDatabases = Partitioning.MaxCount;

    private readonly ConcurrentDictionary<short, short> _campuses = new();

    public JournalPlacement(int databases)
    {
        if (databases is < 1 or > MaxDatabases) throw new ArgumentOutOfRangeException(nameof(databases), databases, $"journal databases are 1 to {MaxDatabases}");
        Databases = databases;
    }

    /// <summary>One database for everything: every campus in the main one.</summary>
    public static JournalPlacement Single() => new(1);

    /// <summary>How many journal databases the deployment has, numbered 0 to <see cref="Databases"/> - 1.</summary>
    public int Databases { get; }

    /// <summary>The database that owns the partition (a transaction id's low bits name its partition: <see cref="TransactionIds"/>).</summary>
    public int DatabaseOfPartition(int partition) => partition % Databases;

    /// <summary>The database of a holder id or a merchant number (<see cref="IdSpan"/>).</summary>
    public static int DatabaseOfId(long id) => (int)(id / IdSpan);

    /// <summary>The database of the campus's journal and registry.</summary>
    /// <exception cref="UnplacedCampusException">The campus's database is not known to this process.</exception>
    public short DatabaseOf(short campus)
    {
        if (Databases == 1) return 0;
        return _campuses.TryGetValue(campus, out var database) ? database : throw new UnplacedCampusException(campus);
    }

    /// <summary>
    /// Records the campus's database: from the main database's campuses, or from rows of the campus a database returned
    /// (a campus's rows are in its database only). A campus never moves, so a second answer that differs is a fault.
    /// </summary>
    /// <exception cref="UnplacedCampusException">The database is not one of the deployment's (not configured).</exception>
    public void Place(short campus, short database)
    {
        if (database < 0 || database >= Databases) throw new UnplacedCampusException(campus, database, Databases);
        var placed = _campuses.GetOrAdd(campus, database);
        if (placed != database) throw new InvalidOperationException($"campus {campus} is placed in journal database {placed}, and now found in {database}");
    }
}

/// <summary>A campus whose journal database this process does not know, or whose database is not configured.</summary>
public sealed class UnplacedCampusException : Exception
{
    public UnplacedCampusException(short campus)
        : base($"campus {campus}'s journal database is not known to this process") => Campus = campus;

    public UnplacedCampusException(short campus, short database, int databases)
        : base($"campus {campus} is placed in journal database {database}, but the deployment has databases 0 to {databases - 1} (Journal__Databases__<name>__Number)") => Campus = campus;

    public short Campus { get; }
}
