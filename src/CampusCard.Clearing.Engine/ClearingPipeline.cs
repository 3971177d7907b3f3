using System.Collections.Concurrent;
using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The hot path. Requests are queued, cut into batches (by size or delay), decided in one hot-store
/// call per batch; a journal write takes every decided batch waiting for it into one database
/// transaction (group commit), and only then are the callers answered. A decision is never undone:
/// a failed journal write is retried until it succeeds, and meanwhile nothing new is admitted.
/// Every decided batch holds a slot until it is journaled, so holding all slots makes recovery
/// exclusive of deciding.
/// </summary>
public sealed partial class ClearingPipeline : IAsyncDisposable
{
    private readonly IHotStore _hot;
    private readonly IJournal _journal;
    private readonly TimeProvider _clock;
    private readonly BusinessCalendar _calendar;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingRequest> _queue = Channel.CreateUnbounded<PendingRequest>(new() { SingleReader = true });
    private readonly SemaphoreSlim _unjournaled;
    private readonly Channel<DecidedWork> _decided = Channel.CreateUnbounded<DecidedWork>(new() { SingleWriter = true });
    private readonly ConcurrentQueue<string> _acks = new();
    private readonly InFlightBatches _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private const int ReplayLookups = 10;
    private int _queued;
    private int _disposed;
    private volatile EngineState _state = EngineState.Starting;
    private Task? _batcher;
    private Task? _writer;
    private Task? _sweeper;

    public ClearingPipeline(IHotStore hot, IJournal journal, TimeProvider clock, IOptions<EngineOptions> options, ILogger<ClearingPipeline> logger)
    {
        _hot = hot;
        _journal = journal;
        _clock = clock;
        _options = options.Value;
        _calendar = new BusinessCalendar(_options.UtcOffset);
        _logger = logger;
        _unjournaled = new SemaphoreSlim(_options.MaxUnjournaledBatches, _options.MaxUnjournaledBatches);
    }

    public EngineState State => _state;

    public event Action<EngineState>? StateChanged;

    public BusinessCalendar Calendar => _calendar;

    /// <summary>Recovers (drains the outbox, rebuilds a hot store that is behind) and starts the batcher.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        _batcher = Task.Run(() => RunBatcherAsync(_stopping.Token), CancellationToken.None);
        _writer = Task.Run(RunJournalWriterAsync, CancellationToken.None);
        _sweeper = Task.Run(() => RunSweeperAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Takes a request; the task completes once its decision is in the journal.</summary>
    /// <exception cref="EngineUnavailableException">Not admitted: nothing was decided.</exception>
    public Task<ClearingAnswer> SubmitAsync(ClearingRequest request, CancellationToken cancellationToken)
    {
        var state = _state;
        if (state != EngineState.Ready) throw new EngineUnavailableException(Unavailable(state));
        if (Interlocked.Increment(ref _queued) > _options.MaxQueuedRequests)
        {
            Interlocked.Decrement(ref _queued);
            throw new EngineUnavailableException($"the clearing engine is overloaded: {_options.MaxQueuedRequests} requests are waiting; retry later");
        }
        var pending = new PendingRequest(request, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new EngineUnavailableException(Unavailable(EngineState.Stopped));
        }
        return pending.Task;
    }

    private static string Unavailable(EngineState state) => state switch
    {
        EngineState.JournalFailing => "the journal cannot be written now; decided transactions are being retried and new ones are not admitted",
        EngineState.Stopped => "the clearing engine is shutting down",
        _ => "the clearing engine is recovering its state from the journal; retry shortly",
    };

    private void SetState(EngineState state)
    {
        if (_state == state || _state == EngineState.Stopped) return;
        _state = state;
        Log.StateChanged(_logger, state);
        StateChanged?.Invoke(state);
    }

    private async Task RunBatcherAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        var batch = new List<PendingRequest>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            Fill(reader, batch);
            // Under load the batch fills while the previous one is in Redis; the delay only gathers
            // stragglers when the queue runs dry, and it waits on a timer, never spinning.
            if (_options.MaxBatchDelay > TimeSpan.Zero && batch.Count < _options.MaxBatchSize)
            {
                var window = Task.Delay(_options.MaxBatchDelay, _clock);
                while (batch.Count < _options.MaxBatchSize && !window.IsCompleted)
                {
                    var more = reader.WaitToReadAsync().AsTask();
                    if (await Task.WhenAny(more, window) == window || !await more) break;
                    Fill(reader, batch);
                }
            }
            Interlocked.Add(ref _queued, -batch.Count);
            batch.RemoveAll(p => p.CancellationToken.IsCancellationRequested && p.TrySetCanceled(p.CancellationToken));
            if (batch.Count > 0) await DecideAsync([.. batch]);
            batch.Clear();
        }
    }

    private void Fill(ChannelReader<PendingRequest> reader, List<PendingRequest> batch)
    {
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var p)) batch.Add(p);
    }

    private async Task DecideAsync(PendingRequest[] batch)
    {
        await _unjournaled.WaitAsync();
        var requests = new ClearingRequest[batch.Length];
        for (var i = 0; i < batch.Length; i++) requests[i] = batch[i].Request;
        var acks = new List<string>();
        while (acks.Count < 1000 && _acks.TryDequeue(out var id)) acks.Add(id);
        var now = _clock.GetUtcNow();
        DecidedBatch decided;
        try
        {
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var p in batch) { Diag.QueueWait += t0 - p.Created; Diag.QueueN++; }
            decided = await _hot.DecideAsync(requests, now, _calendar.DayNumber(now), acks);
            Diag.Decide += System.Diagnostics.Stopwatch.GetTimestamp() - t0; Diag.DecideN++; Diag.DecideReqs += batch.Length;
        }
        catch (Exception e)
        {
            // The script may or may not have run: if it did, the outbox holds the batch and recovery
            // journals it; either way these callers get no answer, and a retry gets the first one.
            Log.DecideFailed(_logger, e, batch.Length);
            foreach (var id in acks) _acks.Enqueue(id);
            foreach (var p in batch) p.TrySetException(new EngineUnavailableException("the hot store could not decide the request; retry with the same request_id"));
            _unjournaled.Release();
            await RecoverAsync(_stopping.Token);
            return;
        }
        var work = new DecidedWork(batch, decided);
        if (work.Entries.Count > 0)
            _inFlight.Add(work.Entries[0].Decision.TransactionId, work.Entries[^1].Decision.TransactionId, work.Journaled.Task);
        _decided.Writer.TryWrite(work);
    }

    /// <summary>
    /// Group commit: each write takes every decided batch waiting. A second write starts beside a
    /// running one only when it has a large batch of its own; small ones wait and join the next,
    /// since splitting them costs more commits than it saves in waiting.
    /// </summary>
    private async Task RunJournalWriterAsync()
    {
        var reader = _decided.Reader;
        var writes = new List<Task>();
        var works = new List<DecidedWork>();
        var entries = new List<JournalEntry>();
        Task<bool>? more = null;
        var open = true;
        while (open || works.Count > 0 || writes.Count > 0)
        {
            while (entries.Count < _options.MaxJournalBatch && reader.TryRead(out var work))
            {
                works.Add(work);
                entries.AddRange(work.Entries);
            }
            var worthAWrite = writes.Count == 0 || entries.Count >= _options.ParallelJournalBatch || !open;
            if (works.Count > 0 && worthAWrite && writes.Count < _options.JournalConcurrency)
            {
                writes.Add(WriteAndAnswerAsync(works, entries));
                (works, entries) = ([], []);
                continue;
            }
            if (open && entries.Count < _options.MaxJournalBatch) more ??= reader.WaitToReadAsync().AsTask();
            await Task.WhenAny(open && more is not null ? [.. writes, more] : writes);
            if (writes.Find(w => w.IsFaulted) is { } failed) await failed;
            writes.RemoveAll(w => w.IsCompleted);
            if (more is { IsCompleted: true })
            {
                open = await more;
                more = null;
            }
        }
    }

    private async Task WriteAndAnswerAsync(List<DecidedWork> works, List<JournalEntry> entries)
    {
        try
        {
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            lock (Diag.Lock) { foreach (var w in works) { Diag.WaitWrite += t0 - w.Created; Diag.WaitWriteN++; } }
            var ok = await WriteWithRetryAsync(entries);
            lock (Diag.Lock) { Diag.Write += System.Diagnostics.Stopwatch.GetTimestamp() - t0; Diag.WriteN++; Diag.WriteEntries += entries.Count; }
            if (!ok)
            {
                // Not answered, so not lost: the rebuilt hot state holds just what the journal holds.
                var lost = new EngineUnavailableException("the hot store lost this decision; retry with the same request_id");
                foreach (var work in works) work.Fail(lost);
                return;
            }
            foreach (var work in works) Answer(work);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped before the journal came back: the batches stay in the outbox, unanswered, for the next start.
            var stopped = new EngineUnavailableException(Unavailable(EngineState.Stopped) + "; retry with the same request_id");
            foreach (var work in works) work.Fail(stopped);
        }
        finally
        {
            foreach (var work in works) _inFlight.Remove(work.Journaled.Task);
            _unjournaled.Release(works.Count);
        }
    }

    private void Answer(DecidedWork work)
    {
        work.Journaled.SetResult();
        var t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (Diag.Lock) { foreach (var p in work.Batch) { Diag.Total += t1 - p.Created; Diag.TotalN++; } }
        if (work.Decided.OutboxId is { } outboxId) _acks.Enqueue(outboxId);
        for (var i = 0; i < work.Batch.Length; i++)
        {
            var result = work.Decided.Results[i];
            switch (result.Outcome)
            {
                case HotOutcome.New: work.Batch[i].TrySetResult(new ClearingAnswer(result.Outcome, result.Decision)); break;
                case HotOutcome.Conflict: work.Batch[i].TrySetResult(new ClearingAnswer(result.Outcome, null)); break;
                default: _ = AnswerReplayAsync(work.Batch[i], result.Decision!); break;
            }
        }
    }

    /// <returns>false when the journal holds other content under these ids: the hot store lost writes.</returns>
    private async Task<bool> WriteWithRetryAsync(IReadOnlyList<JournalEntry> entries)
    {
        var delay = _options.JournalRetryMin;
        while (true)
        {
            try
            {
                await _journal.AppendAsync(entries, _stopping.Token);
                if (_state == EngineState.JournalFailing) SetState(EngineState.Ready);
                return true;
            }
            catch (JournalConflictException e)
            {
                Log.LostWrites(_logger, e);
                _ = Task.Run(() => RecoverAsync(_stopping.Token));
                return false;
            }
            catch (Exception e) when (_stopping.IsCancellationRequested)
            {
                // A write cut off by the stop, or failing when it came: the batch stays in the outbox.
                throw new OperationCanceledException("stopped before the journal took the batch", e, _stopping.Token);
            }
            catch (Exception e)
            {
                if (_state == EngineState.Ready) SetState(EngineState.JournalFailing);
                Log.JournalRetry(_logger, e, entries.Count, delay);
                await Task.Delay(delay, _clock, _stopping.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.JournalRetryMax.Ticks));
            }
        }
    }

    /// <summary>A retry is answered once its original is in the journal, which may be another instance's job.</summary>
    private async Task AnswerReplayAsync(PendingRequest pending, Decision decision)
    {
        try
        {
            // The original may be another instance's, still on its way into the journal: look a few
            // times before giving up.
            for (var attempt = 0; ; attempt++)
            {
                if (_inFlight.Find(decision.TransactionId) is { } journaled) { await journaled; break; }
                if (await _journal.ContainsAsync(decision.TransactionId, pending.CancellationToken)) break;
                if (attempt == ReplayLookups)
                    throw new EngineUnavailableException("the first attempt of this request is still being recorded; retry with the same request_id");
                await Task.Delay(TimeSpan.FromMilliseconds(20), _clock, pending.CancellationToken);
            }
            pending.TrySetResult(new ClearingAnswer(HotOutcome.Replay, decision));
        }
        catch (Exception e)
        {
            pending.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops the engine, and then the container disposes it again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        if (_batcher is not null) await _batcher;
        _decided.Writer.TryComplete();
        // Decided batches get a grace period to reach the journal; what does not stays in the
        // outbox, unanswered, and the next start journals it.
        var writer = _writer ?? Task.CompletedTask;
        await Task.WhenAny(writer, Task.Delay(_options.ShutdownGrace));
        await _stopping.CancelAsync();
        await writer;
        SetState(EngineState.Stopped);
        if (_sweeper is not null) await _sweeper.ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }
}
