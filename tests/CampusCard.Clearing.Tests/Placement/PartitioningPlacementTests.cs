using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Tests.Placement;

/// <summary>
/// How journal placement lays out the hot state's partitions (Domain/Partitioning.cs, JournalPlacement.cs): a campus's tags
/// fall only into its database's partitions, each database sees its own as a partitioning of its own, and one database
/// changes nothing.
/// </summary>
public class PartitioningPlacementTests
{
    private static readonly string[] Tags = [.. Enumerable.Range(0, 2_000).SelectMany(i => new[] { $"p:{20210000 + i}", $"m:CANTEEN-{i}", $"c:8800{i:D8}" })];

    [Fact]
    public void With_one_journal_database_a_tag_is_in_the_partition_its_hash_names()
    {
        var placed = new Partitioning(16, JournalPlacement.Single());
        var unplaced = new Partitioning(16);

        Assert.All(Tags, tag => Assert.Equal(Partitioning.Hash(tag) % 16, placed.Of(tag)));
        Assert.All(Tags, tag => Assert.Equal(placed.Of(tag), unplaced.Of(tag)));
        Assert.All(Tags.Select(t => Campuses.Qualify(7, t)), tag => Assert.Equal(Partitioning.Hash(tag) % 16, placed.Of(tag)));
    }

    [Fact]
    public void A_campuss_tags_fall_into_its_databases_partitions_only_and_spread_over_all_of_them()
    {
        var placement = new JournalPlacement(4);
        placement.Place(Campuses.Default, 0);
        placement.Place(2, 3);
        placement.Place(3, 1);
        var partitions = new Partitioning(16, placement);

        foreach (var (campus, database) in new (short, int)[] { (Campuses.Default, 0), (2, 3), (3, 1) })
        {
            var of = Tags.Select(t => partitions.Of(Campuses.Qualify(campus, t))).ToList();
            Assert.All(of, p => Assert.Equal(database, placement.DatabaseOfPartition(p)));
            Assert.Equal(Enumerable.Range(0, 4).Select(i => 4 * i + database), of.Distinct().Order());
        }
    }

    [Fact]
    public void A_database_sees_its_partitions_as_its_own_partitioning_whose_slots_hold_their_tags()
    {
        var placement = new JournalPlacement(2);
        placement.Place(5, 1);
        var partitions = new Partitioning(16, placement);
        var local = partitions.Local();

        Assert.Equal(8, local.Count);
        foreach (var tag in Tags.Select(t => Campuses.Qualify(5, t)))
        {
            var partition = partitions.Of(tag);
            Assert.Equal(local.Of(tag), partitions.LocalPartition(partition));
            Assert.Contains(Partitioning.Hash(tag) % Partitioning.Slots, local.SlotsOf(partitions.LocalPartition(partition)));
        }
    }

    [Fact]
    public void A_campus_whose_database_is_not_known_or_not_configured_is_refused_and_a_campus_never_moves()
    {
        var placement = new JournalPlacement(2);
        placement.Place(2, 1);

        Assert.Equal(3, Assert.Throws<UnplacedCampusException>(() => new Partitioning(16, placement).Of("3/p:2021001")).Campus);
        Assert.Throws<UnplacedCampusException>(() => placement.Place(4, 2));
        Assert.Throws<InvalidOperationException>(() => placement.Place(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Partitioning(16, new JournalPlacement(3)));
    }

    [Theory]
    [InlineData(1L, 0)]
    [InlineData(JournalPlacement.IdSpan - 1, 0)]
    [InlineData(JournalPlacement.IdSpan + 1, 1)]
    [InlineData(1023 * JournalPlacement.IdSpan + 5, 1023)]
    public void A_holder_id_or_merchant_number_tells_its_database(long id, int database) =>
        Assert.Equal(database, JournalPlacement.DatabaseOfId(id));
}
