using System.Threading.Channels;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Admission and batching: requests are queued (or refused, all of a call's at once, when the engine is not ready
/// or too many wait) and cut into batches by size or delay.
/// </summary>
internal sealed class Intake(EngineOptions options, EngineStatus status, TimeProvider clock)
{
    private readonly Channel<PendingRequest> _queue = Channel.CreateUnbounded<PendingRequest>(new() { SingleReader = true });
    private int _queued;

    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Queues every request or none.</summary>
    /// <exception cref="EngineUnavailableException">Not admitted: nothing was decided.</exception>
    public Task<ClearingAnswer>[] Submit(IReadOnlyList<ClearingRequest> requests, CancellationToken cancellationToken)
    {
        status.ThrowUnlessReady();
        if (Interlocked.Add(ref _queued, requests.Count) > options.MaxQueuedRequests)
        {
            Interlocked.Add(ref _queued, -requests.Count);
            throw new EngineUnavailableException(ErrorReason.EngineOverloaded, $"the clearing engine is overloaded: {options.MaxQueuedRequests} requests are waiting; retry later");
        }
        var answers = new Task<ClearingAnswer>[requests.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            var pending = new PendingRequest(requests[i], cancellationToken);
            answers[i] = _queue.Writer.TryWrite(pending) ? pending.Task : Task.FromException<ClearingAnswer>(EngineStatus.Unavailable(EngineState.Stopped));
        }
        return answers;
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Cuts batches until the queue is completed and empty; each is handed to <paramref name="decide"/> in order with
    /// the task of the one before it, and the next is cut once that one is done: two batches in hand, one being
    /// prepared while the other is decided.
    /// </summary>
    public async Task RunAsync(Func<PendingRequest[], Task, Task> decide)
    {
        var reader = _queue.Reader;
        var batch = new List<PendingRequest>(options.MaxBatchSize);
        var deciding = Task.CompletedTask;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            Fill(reader, batch);
            // Under load the batch fills while the previous one is in Redis; the delay only gathers stragglers when
            // the queue runs dry, and it waits on a timer, never spinning.
            if (options.MaxBatchDelay > TimeSpan.Zero && batch.Count < options.MaxBatchSize)
            {
                var window = Task.Delay(options.MaxBatchDelay, clock);
                while (batch.Count < options.MaxBatchSize && !window.IsCompleted)
                {
                    var more = reader.WaitToReadAsync().AsTask();
                    if (await Task.WhenAny(more, window) == window || !await more) break;
                    Fill(reader, batch);
                }
            }
            Interlocked.Add(ref _queued, -batch.Count);
            batch.RemoveAll(p => p.CancellationToken.IsCancellationRequested && p.TrySetCanceled(p.CancellationToken));
            if (batch.Count > 0)
            {
                var next = decide([.. batch], deciding);
                await deciding;
                deciding = next;
            }
            batch.Clear();
        }
        await deciding;
    }

    private void Fill(ChannelReader<PendingRequest> reader, List<PendingRequest> batch)
    {
        while (batch.Count < options.MaxBatchSize && reader.TryRead(out var p)) batch.Add(p);
    }
}
