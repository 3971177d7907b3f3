using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.HotStore.Internal;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>Where the tests' hot state keeps a holder, a partition's sequence and the outboxes, to look at them or spoil them.</summary>
public static class HotProbe
{
    /// <summary>The partitions a service under test runs with (HotStore:Partitions' default).</summary>
    public static Partitioning Partitions { get; } = new(new HotStoreOptions().Partitions);

    /// <param name="partitions">The service's, when it has other partitions than the default (several journal databases).</param>
    public static int PartitionOf(string personNo, short campus = Campuses.Default, Partitioning? partitions = null) =>
        (partitions ?? Partitions).Of(Campuses.Qualify(campus, "p:" + personNo));

    public static string HolderKey(string prefix, string personNo, short campus = Campuses.Default, Partitioning? partitions = null) =>
        new Keys(prefix).Holder(PartitionOf(personNo, campus, partitions), Campuses.Qualify(campus, "p:" + personNo));

    /// <summary>The idempotency record of a request of the person's (made by card or by person).</summary>
    public static string RecordKey(string prefix, string personNo, ClearingRequest request) =>
        new Keys(prefix).Record(PartitionOf(personNo), request.Scope, request.RequestId);

    /// <summary>A card's entry in the card index: a hash and its field.</summary>
    public static (string Key, string Field) CardIndexEntry(string prefix, string cardNo) => new Keys(prefix).Card(cardNo);

    /// <summary>The sequence of the partition the person's hot state lives in.</summary>
    public static string SequenceKey(string prefix, string personNo) => new Keys(prefix).Sequence(PartitionOf(personNo));

    /// <summary>Every partition's outbox batches at least <paramref name="minAge"/> old.</summary>
    public static async Task<IReadOnlyList<OutboxBatch>> OutboxAsync(this IHotStore hot, TimeSpan minAge, int max = 10)
    {
        var batches = new List<OutboxBatch>();
        foreach (var partition in hot.Partitions.All) batches.AddRange(await hot.ReadOutboxAsync(partition, max, minAge));
        return batches;
    }

    /// <summary>Rebuilds the partition from <paramref name="snapshot"/>: begins a rebuild, then restores it.</summary>
    public static async Task RebuildAsync(this IHotStore hot, int partition, HotSnapshot snapshot) =>
        await hot.RestoreAsync(partition, await hot.BeginRebuildAsync(partition), snapshot);
}
