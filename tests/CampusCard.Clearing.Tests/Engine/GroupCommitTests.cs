using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using Directory = CampusCard.Clearing.Engine.Directory;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Tests.Engine;

/// <summary>How the engine groups decided batches into journal writes, with the first write held open.</summary>
public class GroupCommitTests : StoreTestBase
{
    private const int ParallelJournalBatch = 50;

    [Fact]
    public async Task Small_batches_decided_during_a_write_wait_and_share_the_next_commit()
    {
        await using var held = await HoldFirstWriteAsync();

        var waiting = await SubmitDecidedAsync(held, ParallelJournalBatch - 1);
        Assert.Equal(1, held.Journal.Started);

        held.Journal.Release();
        await Task.WhenAll([held.First, .. waiting]);
        Assert.Equal([1, ParallelJournalBatch - 1], held.Journal.Sizes);
        Assert.Equal(1, held.Journal.MostAtOnce);
    }

    [Fact]
    public async Task A_large_batch_is_written_beside_a_running_write()
    {
        await using var held = await HoldFirstWriteAsync();

        var large = await SubmitDecidedAsync(held, ParallelJournalBatch);
        await held.Journal.WriteStarted(2);

        held.Journal.Release();
        await Task.WhenAll([held.First, .. large]);
        Assert.Equal([1, ParallelJournalBatch], held.Journal.Sizes);
        Assert.Equal(2, held.Journal.MostAtOnce);
    }

    /// <summary>A running engine whose first journal write, of one debit, is held open.</summary>
    private async Task<HeldEngine> HoldFirstWriteAsync()
    {
        var holder = await OpenHolderAsync(purseFen: 100_000);
        var merchant = await OpenMerchantAsync();
        var journal = new HeldJournal(Journal);
        var options = new EngineOptions { MaxBatchSize = 1, JournalConcurrency = 2, ParallelJournalBatch = ParallelJournalBatch, ShutdownGrace = TimeSpan.FromSeconds(1) };
        var engine = new ClearingEngine(Hot, journal, journal, new Directory(Registry, TimeProvider.System), TimeProvider.System, Options.Create(options),
            Options.Create(new ChannelOptions()), Options.Create(new CardRules()), NullLogger<ClearingEngine>.Instance);
        await engine.StartAsync(default);
        var first = engine.SubmitAsync(Debit(holder, merchant, 1), default);
        await journal.WriteStarted(1);
        return new HeldEngine(engine, journal, holder, merchant, first);
    }

    private sealed record HeldEngine(ClearingEngine Engine, HeldJournal Journal, Holder Holder, Merchant Merchant, Task<ClearingAnswer> First) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Engine.DisposeAsync();
    }

    /// <summary>Submits the debits and returns once the hot store has decided all of them.</summary>
    private async Task<Task<ClearingAnswer>[]> SubmitDecidedAsync(HeldEngine held, int count)
    {
        var partition = HotProbe.PartitionOf(held.Holder.PersonNo);
        var decidedBefore = await Hot.GetSequenceAsync(partition);
        var calls = Enumerable.Range(0, count).Select(_ => held.Engine.SubmitAsync(Debit(held.Holder, held.Merchant, 1), default)).ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await Hot.GetSequenceAsync(partition) < decidedBefore + count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the hot store did not decide the debits");
            await Task.Delay(10);
        }
        // The decided batches reach the journal scheduler as soon as the script's answer is read;
        // the margin is for a loaded machine.
        await Task.Delay(500);
        return calls;
    }

    /// <summary>The real journal, whose writes wait until released, counted as they start.</summary>
    private sealed class HeldJournal(IJournal inner) : DelegatingJournal(inner)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<int> _sizes = [];
        private int _running;

        public int Started { get { lock (_sizes) return _sizes.Count; } }
        public int MostAtOnce { get; private set; }
        public int[] Sizes { get { lock (_sizes) return [.. _sizes]; } }

        public void Release() => _released.TrySetResult();

        public async Task WriteStarted(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Started < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"journal write {count} did not start");
                await Task.Delay(10);
            }
        }

        public override async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            lock (_sizes)
            {
                _sizes.Add(entries.Count);
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
            }
            try
            {
                await _released.Task.WaitAsync(cancellationToken);
                await base.AppendAsync(entries, cancellationToken);
            }
            finally
            {
                lock (_sizes) _running--;
            }
        }
    }
}
