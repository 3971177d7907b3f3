namespace CampusCard.Clearing.HotStore;

/// <summary>
/// How a hot state is laid out: its partitions, and how many journal databases they are spread over (a tag's partition
/// depends on both: Domain/Partitioning.cs). A hot state is made with one layout; the repartition command changes it.
/// </summary>
public readonly record struct HotStateLayout(int Partitions, int JournalDatabases)
{
    public override string ToString() => JournalDatabases == 1 ? $"{Partitions} partitions" : $"{Partitions} partitions over {JournalDatabases} journal databases";

    /// <summary>A change of layout, as the repartition command and the next start tell it: "from 4 to 16 partitions".</summary>
    public static string Change(HotStateLayout from, HotStateLayout to) =>
        from.JournalDatabases == 1 && to.JournalDatabases == 1 ? $"from {from.Partitions} to {to.Partitions} partitions" : $"from {from} to {to}";
}
