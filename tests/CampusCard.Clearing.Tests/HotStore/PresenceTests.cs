using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.HotStore;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.Tests.HotStore;

/// <summary>
/// Who may change the hot state while it is repartitioned: a running instance's mark keeps the repartition out; the
/// repartition's hold keeps instances' rebuilds out, and so does a count that changed under an instance.
/// </summary>
public class PresenceTests : StoreTestBase
{
    private IDatabase Redis => LocalServers.Redis.GetDatabase();

    private RedisRepartition Repartition(int partitions) =>
        new(LocalServers.Redis, Options.Create(new HotStoreOptions { KeyPrefix = Prefix, IdempotencyWindow = TimeSpan.FromDays(7), Partitions = partitions }));

    [Fact]
    public async Task A_repartition_does_not_begin_while_an_instance_is_marked_and_holds_off_every_rebuild_but_its_own()
    {
        await OpenHolderAsync(purseFen: 500);
        var snapshot = await SnapshotAsync(0);
        var repartition = Repartition(16);

        var refused = await Assert.ThrowsAsync<HotStateInUseException>(() => repartition.BeginAsync(new HotStateLayout(16, 1)));
        Assert.Contains($"the hot state under '{Prefix}' is in use by 1 service instance(s) (", refused.Message);
        await Hot.LeaveAsync();
        await repartition.BeginAsync(new HotStateLayout(16, 1));

        var held = await Assert.ThrowsAsync<UnsafeHotStoreException>(() => Hot.RebuildAsync(0, snapshot));
        Assert.Contains($"a repartition of the hot state under '{Prefix}' is under way (", held.Message);
        Assert.Contains(" to 16 partitions, on ", held.Message);
        await repartition.Target.RebuildAsync(0, snapshot);
        var starting = await Assert.ThrowsAsync<UnsafeHotStoreException>(() => LocalServers.HotStore(Prefix).CheckConfigurationAsync());
        Assert.Contains("is under way", starting.Message);
        await repartition.EndAsync();
        await Hot.RebuildAsync(0, snapshot);
    }

    [Fact]
    public async Task A_rebuild_under_another_count_than_the_stored_one_is_refused()
    {
        var other = LocalServers.HotStore(Prefix, partitions: 4);

        var refused = await Assert.ThrowsAsync<UnsafeHotStoreException>(() => other.RebuildAsync(0, new HotSnapshot(0, [], new Dictionary<string, Domain.CardRef>(), [], Now)));

        Assert.Contains($"the hot state under '{Prefix}' has 16 partitions, not the 4 of HotStore:Partitions", refused.Message);
        Assert.NotNull(await Hot.GetSequenceAsync(0));
    }

    [Fact]
    public async Task A_lapsed_mark_is_taken_again_while_the_count_stands_and_refused_once_it_changed()
    {
        await DeleteMarksAsync();

        await Hot.RenewPresenceAsync();
        Assert.Single(Marks());

        await DeleteMarksAsync();
        await Redis.StringSetAsync(Prefix + "partitions", 64);
        var refused = await Assert.ThrowsAsync<UnsafeHotStoreException>(Hot.RenewPresenceAsync);
        Assert.Contains($"the hot state under '{Prefix}' has 64 partitions, not the 16 of HotStore:Partitions", refused.Message);
        Assert.Empty(Marks());
    }

    private async Task DeleteMarksAsync()
    {
        foreach (var mark in Marks()) await Redis.KeyDeleteAsync(mark);
    }

    /// <summary>The running instances' marks under the test's prefix.</summary>
    private IEnumerable<RedisKey> Marks() => LocalServers.Redis.GetServer(LocalServers.Redis.GetEndPoints()[0]).Keys(pattern: Prefix + "instance:*");
}
