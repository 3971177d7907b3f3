using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>A card a terminal must refuse or may accept again, as the card-status feed (黑名单下发) sends it.</summary>
public readonly record struct CardStatusChange(long Version, string CardNo, CardState State, bool Refused, bool Replaced);

/// <summary>
/// The card-status feed. A subscriber first gets the journal's card states changed after its version (for 0, every
/// card to refuse), then each change as it is journaled. One reader per instance follows the journal for all
/// subscribers, only while there are any, up to <see cref="ClearingEngine.JournaledThroughAsync"/>: a change is
/// sent once every decision before it is journaled, so versions only increase and a terminal that resumes from the
/// last one it applied misses nothing. A version is the change's transaction id times 256 plus the card's place
/// among its holder's cards.
/// </summary>
public sealed class CardStatusFeed(ClearingEngine engine, IJournal journal, IOptions<EngineOptions> options, TimeProvider clock, ILogger<CardStatusFeed> logger)
{
    private const int CardsPerChange = 256;
    private const int Page = 1000;
    private readonly Lock _gate = new();
    private readonly List<Channel<CardStatusChange>> _subscribers = [];
    private long _through;
    private long _target;
    private bool _following;

    /// <summary>Subscribers now (a gauge for operators).</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate) return _subscribers.Count;
        }
    }

    public async IAsyncEnumerable<CardStatusChange> WatchAsync(long sinceVersion, [EnumeratorCancellation] CancellationToken ct)
    {
        var live = Channel.CreateBounded<CardStatusChange>(new BoundedChannelOptions(options.Value.CardStatusBuffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var through = await engine.JournaledThroughAsync();
        lock (_gate)
        {
            _subscribers.Add(live);
            if (!_following)
            {
                _following = true;
                _through = _target = through;
                _ = Task.Run(FollowAsync, CancellationToken.None);
            }
            // The reader hands this subscriber what lies past its target; up to there, the catch-up covers it.
            through = Math.Max(through, _target);
        }
        try
        {
            var last = sinceVersion;
            await foreach (var change in CatchUpAsync(sinceVersion, through, ct))
            {
                last = change.Version;
                yield return change;
            }
            last = Math.Max(last, (through + 1) * CardsPerChange - 1);
            await foreach (var change in live.Reader.ReadAllAsync(ct))
            {
                if (change.Version <= last) continue;
                last = change.Version;
                yield return change;
            }
        }
        finally
        {
            lock (_gate) _subscribers.Remove(live);
        }
    }

    /// <summary>Each holder's newest state changed after the version, through the journal's; for 0 only the cards to refuse.</summary>
    private async IAsyncEnumerable<CardStatusChange> CatchUpAsync(long sinceVersion, long through, [EnumeratorCancellation] CancellationToken ct)
    {
        var after = sinceVersion / CardsPerChange;
        while (after < through)
        {
            var rows = await journal.ReadCardStatesAsync(after, through, newestOnly: true, Page, ct);
            if (rows.Count == 0) yield break;
            foreach (var row in rows)
            {
                var change = ToChange(row);
                if (change.Version > sinceVersion && (sinceVersion > 0 || change.Refused)) yield return change;
            }
            after = rows[^1].TransactionId;
        }
    }

    /// <summary>Reads on from the journal and hands each change to every subscriber, while there are any.</summary>
    private async Task FollowAsync()
    {
        while (true)
        {
            try
            {
                await Task.Delay(options.Value.CardStatusInterval, clock);
                var through = await engine.JournaledThroughAsync();
                Channel<CardStatusChange>[] subscribers;
                lock (_gate)
                {
                    if (_subscribers.Count == 0)
                    {
                        _following = false;
                        return;
                    }
                    _target = Math.Max(_target, through);
                    subscribers = [.. _subscribers];
                }
                while (_through < through)
                {
                    var rows = await journal.ReadCardStatesAsync(_through, through, newestOnly: false, Page, CancellationToken.None);
                    foreach (var row in rows)
                        foreach (var subscriber in subscribers)
                            if (!subscriber.Writer.TryWrite(ToChange(row))) subscriber.Writer.TryComplete(new CardStatusFeedOverrunException());
                    _through = rows.Count < Page ? through : rows[^1].TransactionId;
                }
            }
            catch (Exception e)
            {
                Log.CardStatusFeedFailed(logger, e);
            }
        }
    }

    private static CardStatusChange ToChange(CardStateRow row)
    {
        var version = row.TransactionId * CardsPerChange + Math.Min(row.CardIndex, CardsPerChange - 1);
        var state = row.Holder.CardState;
        return CardNumbers.Fingerprint(row.CardNo) == row.Holder.Card
            ? new CardStatusChange(version, row.CardNo, state, CardStates.Refused(state), Replaced: false)
            : new CardStatusChange(version, row.CardNo, state, Refused: true, Replaced: true);
    }
}

/// <summary>A subscriber fell so far behind that its buffer filled: it reconnects from the last version it applied.</summary>
public sealed class CardStatusFeedOverrunException() : RefusedException(Refusal.Unavailable,
    "this subscriber fell behind the card-status feed; reconnect with the last version applied");
