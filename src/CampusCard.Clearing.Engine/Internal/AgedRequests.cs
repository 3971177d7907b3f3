using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Which requests the journal may hold that the hot store may not: those decided before the horizon, a lead short of
/// the idempotency window (their hot records expire at the window), kept in a filter loaded from the journal and
/// extended as time passes. A batch none of whose keys the filter may hold needs no journal lookup before its decide;
/// any other batch, or any batch while the filter is not loaded or not extended in time, is looked up. A record
/// lost with the hot state is no concern here: a rebuild restores every record of the window.
/// </summary>
/// <remarks>
/// The horizon is published before the journal is read up to it, and a write that lands a transaction decided before
/// the published horizon (a batch held back for most of a window) adds it at once: so every journaled key this
/// instance decided before the covered horizon is in the filter. Another instance's write is seen at the next read, so
/// a read covers only what was decided at least half the lead before it: another instance journals its decisions
/// within that (or they are swept from its outbox). A window shorter than the lead therefore looks every batch up.
/// </remarks>
internal sealed class AgedRequests(IDecisionJournal journal, TimeSpan window, EngineOptions options, TimeProvider clock, ILogger logger)
{
    private readonly Lock _gate = new();
    private RequestKeyFilter? _filter;
    private RequestKeyFilter? _loading;
    private long _publishedMs = long.MinValue;
    private long _coveredMs = long.MinValue;

    /// <summary>Whether the journal may hold one of these keys that the hot store does not.</summary>
    public bool MayBeJournaled(IEnumerable<(string Scope, string RequestId)> keys)
    {
        var filter = Volatile.Read(ref _filter);
        var needed = clock.GetUtcNow() - window + options.AgedRequestLead / 2;
        if (filter is null || Volatile.Read(ref _coveredMs) < needed.ToUnixTimeMilliseconds()) return true;
        foreach (var (scope, requestId) in keys)
            if (filter.MayContain(scope, requestId)) return true;
        return false;
    }

    /// <summary>Called once entries are in the journal: those decided before the published horizon go in at once.</summary>
    public void Journaled(IReadOnlyList<JournalEntry> entries)
    {
        var published = Volatile.Read(ref _publishedMs);
        foreach (var (request, decision) in entries)
        {
            if (decision.DecidedAtMs >= published) continue;
            lock (_gate)
            {
                Add(_filter, request);
                Add(_loading, request);
            }
        }
    }

    /// <summary>Loads the filter, then extends it every refresh interval (reloading it bigger when it fills) until stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (_filter is not { } filter || filter.Added > filter.Capacity) await LoadAsync(stopping);
                else await ExtendAsync(filter, stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                Log.AgedRequestsFailed(logger, e);
            }
            try
            {
                await Task.Delay(options.AgedRequestRefresh, clock, stopping);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var covered = Covered();
        var horizon = Publish();
        var filter = new RequestKeyFilter(2 * await journal.CountRequestKeysAsync(DateTimeOffset.FromUnixTimeMilliseconds(horizon), ct));
        lock (_gate) _loading = filter;
        try
        {
            await foreach (var (scope, requestId) in journal.ReadRequestKeysAsync(DateTimeOffset.MinValue, DateTimeOffset.FromUnixTimeMilliseconds(horizon), ct))
                filter.Add(scope, requestId);
            lock (_gate)
            {
                _filter = filter;
                Volatile.Write(ref _coveredMs, Math.Min(horizon, covered));
            }
        }
        finally
        {
            lock (_gate) _loading = null;
        }
        Log.AgedRequestsLoaded(logger, filter.Added, Log.Iso8601(DateTimeOffset.FromUnixTimeMilliseconds(horizon)));
    }

    private async Task ExtendAsync(RequestKeyFilter filter, CancellationToken ct)
    {
        var from = Volatile.Read(ref _coveredMs);
        var covered = Covered();
        var horizon = Publish();
        await foreach (var (scope, requestId) in journal.ReadRequestKeysAsync(DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(horizon), ct))
            filter.Add(scope, requestId);
        Volatile.Write(ref _coveredMs, Math.Max(from, Math.Min(horizon, covered)));
    }

    /// <summary>What a read of the journal starting now covers whichever instance decided it: what was decided half the lead before.</summary>
    private long Covered() => (clock.GetUtcNow() - options.AgedRequestLead / 2).ToUnixTimeMilliseconds();

    /// <summary>Moves the published horizon forward (never back, whatever the clock does) and returns it.</summary>
    private long Publish()
    {
        var horizon = Math.Max((clock.GetUtcNow() - window + options.AgedRequestLead).ToUnixTimeMilliseconds(), Volatile.Read(ref _publishedMs));
        Volatile.Write(ref _publishedMs, horizon);
        return horizon;
    }

    private static void Add(RequestKeyFilter? filter, ClearingRequest request)
    {
        if (filter is null) return;
        filter.Add(request.Scope, request.RequestId);
        if (request.Descriptor.ActsOnOriginal) filter.Add(request.Scope, request.OriginalRequestId);
    }
}
