using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Tests.Engine;

/// <summary>How the pipeline groups decided batches into journal writes, with the first write held open.</summary>
public class GroupCommitTests : StoreTestBase
{
    private const int ParallelJournalBatch = 50;

    [Fact]
    public async Task Small_batches_decided_during_a_write_wait_and_share_the_next_commit()
    {
        var (journal, pipeline, holder, merchant) = await StartAsync();
        await using var _ = pipeline;

        var first = pipeline.SubmitAsync(Debit(holder, merchant, 1), default);
        await journal.WriteStarted(1);
        var waiting = await SubmitDecidedAsync(pipeline, holder, merchant, ParallelJournalBatch - 1);
        Assert.Equal(1, journal.Started);

        journal.Release();
        await Task.WhenAll([first, .. waiting]);
        Assert.Equal([1, ParallelJournalBatch - 1], journal.Sizes);
        Assert.Equal(1, journal.MostAtOnce);
    }

    [Fact]
    public async Task A_large_batch_is_written_beside_a_running_write()
    {
        var (journal, pipeline, holder, merchant) = await StartAsync();
        await using var _ = pipeline;

        var first = pipeline.SubmitAsync(Debit(holder, merchant, 1), default);
        await journal.WriteStarted(1);
        var large = await SubmitDecidedAsync(pipeline, holder, merchant, ParallelJournalBatch);
        await journal.WriteStarted(2);

        journal.Release();
        await Task.WhenAll([first, .. large]);
        Assert.Equal([1, ParallelJournalBatch], journal.Sizes);
        Assert.Equal(2, journal.MostAtOnce);
    }

    private async Task<(HeldJournal, ClearingPipeline, Holder, Merchant)> StartAsync()
    {
        var holder = await OpenHolderAsync(purseFen: 100_000);
        var merchant = await OpenMerchantAsync();
        var journal = new HeldJournal(Journal);
        var options = new EngineOptions { MaxBatchSize = 1, JournalConcurrency = 2, ParallelJournalBatch = ParallelJournalBatch, ShutdownGrace = TimeSpan.FromSeconds(1) };
        var pipeline = new ClearingPipeline(Hot, journal, TimeProvider.System, Options.Create(options), NullLogger<ClearingPipeline>.Instance);
        await pipeline.StartAsync(default);
        return (journal, pipeline, holder, merchant);
    }

    /// <summary>Submits the debits and returns once the hot store has decided all of them.</summary>
    private async Task<Task<ClearingAnswer>[]> SubmitDecidedAsync(ClearingPipeline pipeline, Holder holder, Merchant merchant, int count)
    {
        var decidedBefore = await Hot.GetSequenceAsync();
        var calls = Enumerable.Range(0, count).Select(_ => pipeline.SubmitAsync(Debit(holder, merchant, 1), default)).ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await Hot.GetSequenceAsync() < decidedBefore + count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the hot store did not decide the debits");
            await Task.Delay(10);
        }
        // The decided batches reach the journal scheduler right after the script answers.
        await Task.Delay(100);
        return calls;
    }

    /// <summary>The real journal, whose writes wait until released, counted as they start.</summary>
    private sealed class HeldJournal(IJournal inner) : IJournal
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

        public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            lock (_sizes)
            {
                _sizes.Add(entries.Count);
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
            }
            try
            {
                await _released.Task.WaitAsync(cancellationToken);
                await inner.AppendAsync(entries, cancellationToken);
            }
            finally
            {
                lock (_sizes) _running--;
            }
        }

        public Task<long> MaxTransactionIdAsync(CancellationToken cancellationToken) => inner.MaxTransactionIdAsync(cancellationToken);

        public Task<bool> ContainsAsync(long transactionId, CancellationToken cancellationToken) => inner.ContainsAsync(transactionId, cancellationToken);

        public Task<HotSnapshot> SnapshotAsync(DateTimeOffset now, int businessDay, TimeSpan idempotencyWindow, CancellationToken cancellationToken) =>
            inner.SnapshotAsync(now, businessDay, idempotencyWindow, cancellationToken);
    }
}
