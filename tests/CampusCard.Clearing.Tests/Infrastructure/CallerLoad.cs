using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// Callers that call again and again, each call with a deadline of <see cref="Deadline"/> as a terminal sets one, and
/// when each call ended and whether it got the answer its caller wanted: from that, when answers resumed after a fault.
/// </summary>
public sealed class CallerLoad : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _callers = [];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(long EndedAt, bool Answered)>> _ends = new(StringComparer.Ordinal);

    /// <summary>
    /// A caller named <paramref name="name"/>: <paramref name="call"/> (given its deadline) says whether the answer was the
    /// one wanted; an <see cref="RpcException"/> is no answer. The next call follows <paramref name="pause"/> after.
    /// </summary>
    public void Add(string name, Func<DateTime, Task<bool>> call, TimeSpan pause)
    {
        var ends = _ends.GetOrAdd(name, _ => new());
        _callers.Add(Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                bool answered;
                try { answered = await call(DateTime.UtcNow + Deadline); }
                catch (RpcException) { answered = false; }
                ends.Enqueue((Stopwatch.GetTimestamp(), answered));
                try { await Task.Delay(pause, _stop.Token); }
                catch (OperationCanceledException) { }
            }
        }));
    }

    /// <summary>
    /// How long after <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp) each caller first got its answer;
    /// waits until every one did or <paramref name="atMost"/> passed (a caller without an answer by then shows that).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, TimeSpan>> ResumedAsync(long since, TimeSpan atMost)
    {
        while (true)
        {
            var resumed = _ends.ToDictionary(c => c.Key, c => FirstAnswer(c.Value, since) is { } at ? Stopwatch.GetElapsedTime(since, at) : (TimeSpan?)null);
            if (resumed.Values.All(r => r is not null) || Stopwatch.GetElapsedTime(since) > atMost)
                return resumed.ToDictionary(r => r.Key, r => r.Value ?? atMost);
            await Task.Delay(50);
        }
    }

    /// <summary>How many wanted answers each caller got between two <see cref="Stopwatch"/> timestamps.</summary>
    public IReadOnlyDictionary<string, int> AnsweredBetween(long from, long to) =>
        _ends.ToDictionary(c => c.Key, c => c.Value.Count(e => e.Answered && e.EndedAt >= from && e.EndedAt < to));

    private static long? FirstAnswer(IEnumerable<(long EndedAt, bool Answered)> ends, long since)
    {
        foreach (var (endedAt, answered) in ends)
            if (answered && endedAt >= since) return endedAt;
        return null;
    }

    /// <summary>Stops calling and waits for the calls in flight (each ends by its deadline).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers);
        _stop.Dispose();
    }
}
