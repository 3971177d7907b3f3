using System.Numerics;

namespace CampusCard.Clearing.Domain;

/// <summary>
/// The hot state's partitions. A holder, a card nobody holds and a merchant's own requests each belong to one partition,
/// by a stable hash of their tag ("p:" and the person number, "c:" and the card's, "m:" and the merchant's). Every key of
/// a partition carries its hash tag, so a partition is one Redis Cluster slot, and one call decides a partition's share of
/// a batch. The count is fixed when a hot state is created; changing it rebuilds the hot state from the journal.
/// The count is a power of two up to <see cref="Slots"/>, so a partition is a set of slots (a tag's hash modulo
/// <see cref="Slots"/>): the journal stores a holder's slot and reads one partition's holders by it, whatever the count.
/// With several journal databases (<see cref="JournalPlacement"/>) a partition belongs to one, and a tag falls into its
/// campus's database's partitions only: each database sees its own partitions as a partitioning of its own
/// (<see cref="Local"/>), whose slots are the same.
/// </summary>
public sealed class Partitioning
{
    /// <summary>The slots a tag's hash falls into; every count divides it. Transaction ids carry their partition in their low bits (<see cref="TransactionIds"/>).</summary>
    public const int Slots = TransactionIds.PartitionSlots;

    public const int MaxCount = Slots;

    private const long Modulus = int.MaxValue;

    /// <param name="placement">The journal databases and each campus's (one database when null): their count divides <paramref name="count"/>.</param>
    public Partitioning(int count, JournalPlacement? placement = null)
    {
        if (!IsValidCount(count)) throw new ArgumentOutOfRangeException(nameof(count), count, $"partitions are a power of two from 1 to {MaxCount}");
        Placement = placement ?? JournalPlacement.Single();
        if (count % Placement.Databases != 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"partitions must be a multiple of the {Placement.Databases} journal databases");
        Count = count;
    }

    /// <summary>A power of two from 1 to <see cref="MaxCount"/>: then a partition is exactly the slots <c>s % count == partition</c>.</summary>
    public static bool IsValidCount(int count) => count is >= 1 and <= MaxCount && BitOperations.IsPow2(count);

    public int Count { get; }

    /// <summary>Every partition's number, 0 to <see cref="Count"/> - 1.</summary>
    public IEnumerable<int> All => Enumerable.Range(0, Count);

    public JournalPlacement Placement { get; }

    /// <summary>
    /// The tag's partition. With D journal databases, a tag of a campus in database i falls into D × (hash % (Count / D)) + i:
    /// the partitions of database i, spread by the hash as with one database (D = 1: the hash modulo the count).
    /// </summary>
    public int Of(string tag)
    {
        var databases = Placement.Databases;
        if (databases == 1) return Hash(tag) % Count;
        return databases * (Hash(tag) % (Count / databases)) + Placement.DatabaseOf(CampusOf(tag));
    }

    /// <summary>The partitions of one database as it sees them: <see cref="LocalPartition"/> of each, out of Count / D.</summary>
    public Partitioning Local() => new(Count / Placement.Databases);

    /// <summary>The partition's number among its database's (<see cref="Local"/>): a tag's is its hash modulo Count / D there too.</summary>
    public int LocalPartition(int partition) => partition / Placement.Databases;

    /// <summary>The campus of a tag qualified by it (<see cref="Campuses.Qualify"/>), without taking the tag apart.</summary>
    private static short CampusOf(string tag)
    {
        var slash = tag.IndexOf('/');
        return slash < 0 ? Campuses.Default : short.Parse(tag.AsSpan(0, slash), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The slots of the partition: those whose remainder by <see cref="Count"/> is the partition.</summary>
    public IReadOnlyList<int> SlotsOf(int partition) => [.. Enumerable.Range(0, Slots / Count).Select(i => i * Count + partition)];

    /// <summary>
    /// The tag's hash: a polynomial over its UTF-16 code units, modulo 2^31 - 1. The journal computes the same in SQL
    /// (partition_hash), so it can tell a partition's holders and records without the service.
    /// </summary>
    public static int Hash(string tag)
    {
        long h = 0;
        foreach (var c in tag) h = (h * 31 + c) % Modulus;
        return (int)h;
    }
}

/// <summary>
/// Transaction ids: a partition's sequence times <see cref="PartitionSlots"/>, plus the partition. So ids are unique across
/// partitions and increase within each; the journal tells a partition's newest from the id alone; and a partition whose
/// sequence was lifted to another's (<see cref="Partitioning"/>, the hot store's advance) hands out ids above that one's.
/// </summary>
public static class TransactionIds
{
    public const int PartitionSlots = 1024;

    public static long Of(long sequence, int partition) => sequence * PartitionSlots + partition;

    public static int PartitionOf(long id) => (int)(id % PartitionSlots);

    public static long SequenceOf(long id) => id / PartitionSlots;
}
