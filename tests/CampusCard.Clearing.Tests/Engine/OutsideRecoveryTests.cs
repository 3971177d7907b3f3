using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using Directory = CampusCard.Clearing.Engine.Directory;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Tests.Engine;

/// <summary>Changes to the hot state made beside the engine's pipeline (a new holder) and the rebuilds that would erase them.</summary>
public class OutsideRecoveryTests : StoreTestBase
{
    [Fact]
    public async Task A_change_is_refused_before_the_engine_has_recovered_and_not_run()
    {
        await using var engine = NewEngine(Journal);
        var ran = false;

        await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.OutsideRecoveryAsync(() => Task.FromResult(ran = true), default));

        Assert.False(ran);
    }

    [Fact]
    public async Task A_holder_opened_during_a_rebuild_waits_for_it_and_is_not_erased_by_it()
    {
        var journal = new SnapshotHeldJournal(Journal);
        await using var engine = NewEngine(journal);
        journal.Release();
        await engine.StartAsync(default);
        journal.Hold();
        await LocalServers.DeleteKeysAsync(Prefix);
        var rebuild = engine.RecoverAsync(default);
        await journal.SnapshotStarted.WaitAsync(TimeSpan.FromSeconds(10));

        var opening = engine.OutsideRecoveryAsync(async () =>
        {
            var holder = (await Registry.OpenHolderAsync("P-during-rebuild", "测试 Test", CardType.Student, Now, default))!;
            await Hot.AddHolderAsync(holder);
            return holder;
        }, default);
        await Task.Delay(300);
        Assert.False(opening.IsCompleted);
        journal.Release();
        await rebuild;
        var opened = await opening;

        Assert.NotNull(await HolderAsync(opened));
    }

    private ClearingEngine NewEngine(IJournal journal) => new(Hot, journal, new Directory(Registry, TimeProvider.System), TimeProvider.System,
        Options.Create(new EngineOptions { ShutdownGrace = TimeSpan.FromSeconds(1) }), Options.Create(new ChannelOptions()), NullLogger<ClearingEngine>.Instance);

    /// <summary>The real journal, whose snapshots wait while held.</summary>
    private sealed class SnapshotHeldJournal(IJournal inner) : DelegatingJournal(inner)
    {
        private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task SnapshotStarted => _started.Task;

        public void Hold() => (_released, _started) = (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Release() => _released.TrySetResult();

        public override async Task<HotSnapshot> SnapshotAsync(DateTimeOffset now, int businessDay, TimeSpan idempotencyWindow, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            return await base.SnapshotAsync(now, businessDay, idempotencyWindow, cancellationToken);
        }
    }
}
