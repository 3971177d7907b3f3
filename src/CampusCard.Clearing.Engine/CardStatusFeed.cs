using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>A card of a campus a terminal must refuse or may accept again, as the card-status feed (黑名单下发) sends it.</summary>
public readonly record struct CardStatusChange(long Version, string CardNo, CardState State, bool Refused, bool Replaced, short Campus);

/// <summary>
/// The card-status feed. One reader per instance follows the journal while there are subscribers, up to
/// <see cref="ClearingEngine.JournaledThroughAsync"/>, so a change is sent once every decision before it is journaled
/// and versions only increase; it keeps every card's newest status in memory. A subscriber first gets, from there, the
/// cards whose status changed after its version (for 0, every card to refuse), then each change as the reader hands it
/// out: a thousand subscribers cost the journal one reader. A version is the change's transaction id times 256 plus the
/// card's place among its holder's cards. A subscriber is sent its own campus's cards only.
/// </summary>
public sealed class CardStatusFeed(ClearingEngine engine, IOperationReads journal, IOptions<EngineOptions> options, TimeProvider clock, ILogger<CardStatusFeed> logger)
{
    private const int CardsPerChange = 256;
    private const int Page = 1000;
    private readonly Lock _gate = new();
    private readonly List<(short Campus, Channel<CardStatusChange> Channel)> _subscribers = [];
    private readonly Dictionary<string, CardStatusChange> _newest = new(StringComparer.Ordinal);
    private long _through;
    private Task? _following;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Subscribers now (a gauge for operators).</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate) return _subscribers.Count;
        }
    }

    public async IAsyncEnumerable<CardStatusChange> WatchAsync(short campus, long sinceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        var live = Channel.CreateBounded<CardStatusChange>(new BoundedChannelOptions(options.Value.CardStatusBuffer) { SingleReader = true });
        Task loaded;
        lock (_gate)
        {
            _subscribers.Add((campus, live));
            _following ??= Task.Run(FollowAsync, CancellationToken.None);
            loaded = _loaded.Task;
        }
        try
        {
            await loaded.WaitAsync(ct);
            CardStatusChange[] catchUp;
            long last;
            lock (_gate)
            {
                // What the reader hands out from now on is past what it holds now; up to there, the catch-up covers it.
                catchUp = [.. _newest.Values.Where(c => c.Campus == campus && c.Version > sinceVersion && (sinceVersion > 0 || c.Refused)).OrderBy(c => c.Version)];
                last = Math.Max(sinceVersion, (_through + 1) * CardsPerChange - 1);
            }
            foreach (var change in catchUp) yield return change;
            await foreach (var change in live.Reader.ReadAllAsync(ct))
            {
                if (change.Version <= last) continue;
                last = change.Version;
                yield return change;
            }
        }
        finally
        {
            lock (_gate) _subscribers.Remove((campus, live));
        }
    }

    /// <summary>Loads every card's newest status, then reads on from the journal while there are subscribers.</summary>
    private async Task FollowAsync()
    {
        var loaded = false;
        while (true)
        {
            try
            {
                if (!loaded)
                {
                    await ReadAsync(0, await engine.JournaledThroughAsync(), newestOnly: true);
                    loaded = true;
                    _loaded.TrySetResult();
                }
                await Task.Delay(options.Value.CardStatusInterval, clock);
                lock (_gate)
                {
                    if (_subscribers.Count == 0)
                    {
                        // Without subscribers nothing follows the journal: the next one starts from a fresh load.
                        _following = null;
                        _newest.Clear();
                        _through = 0;
                        _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
                        return;
                    }
                }
                await ReadAsync(_through, await engine.JournaledThroughAsync(), newestOnly: false);
            }
            catch (Exception e)
            {
                Log.CardStatusFeedFailed(logger, e);
                await Task.Delay(options.Value.CardStatusInterval, clock);
            }
        }
    }

    /// <summary>
    /// Reads the journal's changes in (after, through] and keeps each card's newest; when following (not loading, where
    /// the subscribers wait for the catch-up), hands every change to every subscriber too.
    /// </summary>
    private async Task ReadAsync(long after, long through, bool newestOnly)
    {
        while (after < through)
        {
            var rows = await journal.ReadCardStatesAsync(after, through, newestOnly, Page, CancellationToken.None);
            after = rows.Count < Page ? through : rows[^1].TransactionId;
            lock (_gate)
            {
                foreach (var row in rows)
                {
                    var change = ToChange(row);
                    _newest[Campuses.Qualify(change.Campus, change.CardNo)] = change;
                    if (newestOnly) continue;
                    foreach (var (campus, subscriber) in _subscribers)
                        if (campus == change.Campus && !subscriber.Writer.TryWrite(change)) subscriber.Writer.TryComplete(new CardStatusFeedOverrunException());
                }
                _through = after;
            }
        }
    }

    private static CardStatusChange ToChange(CardStateRow row)
    {
        var version = row.TransactionId * CardsPerChange + Math.Min(row.CardIndex, CardsPerChange - 1);
        var state = row.Holder.CardState;
        return CardNumbers.Fingerprint(row.CardNo) == row.Holder.Card
            ? new CardStatusChange(version, row.CardNo, state, CardStates.Refused(state), Replaced: false, row.Holder.Campus)
            : new CardStatusChange(version, row.CardNo, state, Refused: true, Replaced: true, row.Holder.Campus);
    }
}

/// <summary>A subscriber fell so far behind that its buffer filled: it reconnects from the last version it applied.</summary>
public sealed class CardStatusFeedOverrunException() : RefusedException(ErrorReason.SubscriberBehind,
    "this subscriber fell behind the card-status feed; reconnect with the last version applied");
