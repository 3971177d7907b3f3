using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The hot path. Requests are validated by their kind's descriptor, queued, cut into batches (by size or delay),
/// decided in one hot-store call per batch, written to the journal by group commit, and only then answered. The
/// parts: <see cref="Intake"/> (admission, batching), <see cref="Decider"/>, <see cref="JournalWriter"/>,
/// <see cref="Answers"/>, <see cref="Recovery"/> and <see cref="OutboxSweeper"/>.
/// </summary>
public sealed class ClearingEngine : IAsyncDisposable
{
    /// <summary>The meter of the engine's metrics (OpenTelemetry listens to it in the host).</summary>
    public const string MeterName = "CampusCard.Clearing.Engine";

    private readonly IHotStore _hot;
    private readonly IDecisionJournal _journal;
    private readonly Directory _directory;
    private readonly TimeProvider _clock;
    private readonly EngineOptions _options;
    private readonly IReadOnlyDictionary<string, ChannelRules> _channels;
    private readonly CardRules _cards;
    private readonly ILogger _logger;
    private readonly EngineStatus _status;
    private readonly Intake _intake;
    private readonly Resolver _resolver;
    private readonly Recovery _recovery;
    private readonly Decider _decider;
    private readonly JournalWriter _writer;
    private readonly OutboxSweeper _sweeper;
    private readonly AgedRequests _aged;
    private readonly HoldExpiry _holdExpiry;
    private readonly PresenceRenewal _presence;
    private readonly EngineMetrics _metrics;
    private readonly OutboxAcks _acks;
    private readonly InFlightBatches _inFlight = new();
    private long _journaledThrough;
    private readonly Channel<DecidedWork> _decided = Channel.CreateUnbounded<DecidedWork>(new() { SingleWriter = true, SingleReader = true });
    // Closing ends recovery (nothing more will be decided); stopping, after the grace period, ends journal writes.
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private Task? _batching;
    private Task? _writing;
    private Task? _sweeping;
    private Task? _aging;
    private Task? _expiring;
    private Task? _present;
    private Task? _campusRules;

    public ClearingEngine(IHotStore hot, IDecisionJournal journal, IOperationReads reads, Directory directory, TimeProvider clock, IOptions<EngineOptions> options,
        IOptions<ChannelOptions> channels, IOptions<CardRules> cards, ILogger<ClearingEngine> logger, IMeterFactory? meters = null, CampusRulesBook? campuses = null)
    {
        _hot = hot;
        _journal = journal;
        _directory = directory;
        _clock = clock;
        _options = options.Value;
        _channels = channels.Value;
        _cards = cards.Value;
        _logger = logger;
        Calendar = new BusinessCalendar(_options.UtcOffset);
        Campuses = campuses ?? new CampusRulesBook(new CampusRules(Calendar, _channels, _cards, new FinanceOptions().SettlementCutOff), null, clock, logger);
        _status = new EngineStatus(logger);
        var slots = new SemaphoreSlim(_options.MaxUnjournaledBatches, _options.MaxUnjournaledBatches);
        var acks = _acks = new OutboxAcks(hot.Partitions.Count);
        var inFlight = _inFlight;
        _intake = new Intake(_options, _status, clock);
        _metrics = new EngineMetrics(meters, () => _intake.Queued, () => inFlight.Count, () => inFlight.OldestAge().TotalSeconds, () => _status.State);
        _resolver = new Resolver(hot, directory, campus => Campuses.GroupOf(campus, clock.GetUtcNow()), clock);
        _aged = new AgedRequests(journal, hot.IdempotencyWindow, _options, clock, logger);
        _recovery = new Recovery(hot, journal, _aged, directory, inFlight, _options, clock, Campuses, logger);
        _decider = new Decider(hot, journal, _aged, _resolver, slots, _decided.Writer, acks, inFlight, _recovery, clock, Campuses, _metrics, _closing.Token, logger);
        _writer = new JournalWriter(journal, _aged, _decided.Reader, slots, acks, inFlight, new Answers(journal, inFlight, clock), _recovery, _status,
            _options, clock, _metrics, _stopping.Token, logger);
        _sweeper = new OutboxSweeper(hot, _recovery, acks, _status, _options, clock, logger);
        _holdExpiry = new HoldExpiry(reads, requests => SubmitAll(requests, "holds", CancellationToken.None), _status, _options, _cards, clock, logger);
        _presence = new PresenceRenewal(hot, Halt, logger);
    }

    public EngineState State => _status.State;

    public event Action<EngineState>? StateChanged
    {
        add => _status.Changed += value;
        remove => _status.Changed -= value;
    }

    /// <summary>The deployment's calendar (the default campus's, unless it has settings of its own: <see cref="RulesOf"/>).</summary>
    public BusinessCalendar Calendar { get; }

    /// <summary>Every campus's rules at a time.</summary>
    public CampusRulesBook Campuses { get; }

    /// <summary>The campus's rules now: its calendar, channels, card rules and settlement cut-off.</summary>
    public CampusRules RulesOf(short campus) => Campuses.Now(campus);

    /// <summary>
    /// The engine found, while it ran, that it may not go on (the hot state was repartitioned while this instance was cut off
    /// from it): it admits nothing more, and the host stops.
    /// </summary>
    public event Action<UnsafeHotStoreException>? Halted;

    /// <summary>Requests waiting to be batched.</summary>
    public int QueuedRequests => _intake.Queued;

    /// <summary>
    /// Checks the hot store will not evict and is this configuration's, marks this instance in it, recovers (drains the
    /// outbox, rebuilds a hot store that is behind) and starts the loops.
    /// </summary>
    /// <exception cref="UnsafeHotStoreException">The hot store may evict keys, has another number of partitions, or is being repartitioned: the engine does not start on it.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await new RetryPolicy(_options.JournalRetryMin, _options.RecoveryRetryMax, _clock).RunAsync(async () =>
        {
            await _hot.CheckConfigurationAsync();
            if (await _hot.TakeRepartitionNoteAsync() is { } repartition) Log.Repartitioned(_logger, repartition);
            return true;
        }, (e, delay) =>
        {
            if (e is UnsafeHotStoreException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            Log.HotStoreUnreachable(_logger, e, delay);
        }, cancellationToken);
        _present = Task.Run(() => _presence.RunAsync(_closing.Token), CancellationToken.None);
        // Every campus's settings before a rebuild reads each holder's spend of its campus's day, and before the first
        // request is admitted by them; then read again as they change.
        await new RetryPolicy(_options.JournalRetryMin, _options.RecoveryRetryMax, _clock).RunAsync(async () =>
        {
            await Campuses.RefreshAsync(cancellationToken);
            return true;
        }, (e, delay) => Log.CampusRulesNotRead(_logger, e), cancellationToken);
        await _recovery.RecoverAllAsync(cancellationToken);
        _campusRules = Task.Run(() => Campuses.RunAsync(_closing.Token), CancellationToken.None);
        _hot.PartitionShaken += CheckShaken;
        _status.Set(EngineState.Ready);
        // Every card issued so far, so a batch needs no round trip to the hot store's card index for them.
        foreach (var card in await _directory.IssuedCardsAsync(cancellationToken)) _resolver.Remember(card);
        _batching = Task.Run(() => _intake.RunAsync(_decider.DecideAsync), CancellationToken.None);
        _writing = Task.Run(_writer.RunAsync, CancellationToken.None);
        _sweeping = Task.Run(() => _sweeper.RunAsync(_stopping.Token), CancellationToken.None);
        _aging = Task.Run(() => _aged.RunAsync(_closing.Token), CancellationToken.None);
        _expiring = Task.Run(() => _holdExpiry.RunAsync(_closing.Token), CancellationToken.None);
    }

    /// <summary>A partition whose server failed is checked against the journal (rebuilt if behind) before it decides again.</summary>
    private void CheckShaken(int partition)
    {
        Log.PartitionShaken(_logger, partition);
        _recovery.Request(partition, Loss.None, _closing.Token);
    }

    private void Halt(UnsafeHotStoreException reason)
    {
        _status.Set(EngineState.Stopped);
        Halted?.Invoke(reason);
    }

    /// <summary>Takes a request; the task completes once its decision is in the journal.</summary>
    /// <exception cref="RefusedException">Malformed (INVALID_ARGUMENT), or not admitted (UNAVAILABLE); nothing was decided.</exception>
    public Task<ClearingAnswer> SubmitAsync(ClearingRequest request, CancellationToken cancellationToken) =>
        _intake.Submit([Admit(request, null)], cancellationToken)[0];

    /// <summary>The decision of a request, once it is in the journal.</summary>
    /// <exception cref="RefusedException">Malformed, not admitted, or its request id was used for a different request (REQUEST_ID_REUSED).</exception>
    public async Task<Decision> DecideAsync(ClearingRequest request, CancellationToken cancellationToken) =>
        DecisionOf(await SubmitAsync(request, cancellationToken), request);

    /// <summary>The decision of an answer, or REQUEST_ID_REUSED when the request id was used before for different content.</summary>
    public static Decision DecisionOf(ClearingAnswer answer, ClearingRequest request) =>
        answer.Decision ?? throw new RefusedException(ErrorReason.RequestIdReused,
            $"request_id {request.RequestId} was already used for a different request; nothing was changed",
            new Dictionary<string, string> { ["request_id"] = request.RequestId });

    /// <summary>
    /// Takes several requests at once: all are admitted or none (a malformed one refuses the call, naming it as
    /// <paramref name="field"/>[index]). Each task is its request's own answer.
    /// </summary>
    public IReadOnlyList<Task<ClearingAnswer>> SubmitAll(IReadOnlyList<ClearingRequest> requests, string field, CancellationToken cancellationToken)
    {
        var admitted = new ClearingRequest[requests.Count];
        for (var i = 0; i < admitted.Length; i++) admitted[i] = Admit(requests[i], $"{field}[{i}]");
        return _intake.Submit(admitted, cancellationToken);
    }

    private ClearingRequest Admit(ClearingRequest request, string? item)
    {
        var now = _clock.GetUtcNow();
        var rules = Campuses.At(request.Campus, now);
        var context = new KindContext(now, rules.Calendar, rules.Channels, rules.Cards);
        var descriptor = request.Descriptor;
        if (descriptor.Validate(request, context) is { } failure) throw RefusedException.Invalid(item is null ? failure : failure.Within(item));
        return descriptor.Admit(request, context);
    }

    /// <summary>A card made live by a decision of this instance: requests naming it find its holder without a lookup.</summary>
    public void Remember(IssuedCard card) => _resolver.Remember(card);

    /// <summary>
    /// The highest transaction id through which every decision is in the journal (of this instance and of any other
    /// sharing the hot store), over every partition: in each, below its sequence, the oldest outbox batch not known to
    /// be journaled and this instance's batches being written. A partition whose last id is below the newest id of all
    /// is lifted first to a sequence whose ids are not below it (the ids it hands out next are then above every one
    /// counted here), so the bound reaches the newest decision while partitions idle. Never moves back.
    /// </summary>
    /// <param name="askJournal">
    /// Ask the journal about the outbox batches this instance does not know to be journaled (another instance's, journaled
    /// but not yet acknowledged, which they are within <see cref="EngineOptions.OutboxSweepInterval"/>): exact across
    /// instances, for the rare reader that sums a day (settlement, reconciliation); the feeds, which read often, wait.
    /// </param>
    public async Task<long> JournaledThroughAsync(bool askJournal = false)
    {
        var partitions = _hot.Partitions.All.ToArray();
        var sequences = await Task.WhenAll(partitions.Select(p => _hot.GetSequenceAsync(p)));
        if (sequences.Any(s => s is null)) return Volatile.Read(ref _journaledThrough);
        var newest = partitions.Max(p => TransactionIds.Of(sequences[p]!.Value, p));
        var through = long.MaxValue;
        foreach (var partition in partitions)
        {
            var last = TransactionIds.Of(sequences[partition]!.Value, partition);
            if (last < newest)
            {
                // The least sequence whose id in this partition is at the newest id or above it.
                var lifted = await _hot.AdvanceAsync(partition, (newest - partition + TransactionIds.PartitionSlots - 1) / TransactionIds.PartitionSlots);
                if (lifted is null) return Volatile.Read(ref _journaledThrough);
                last = TransactionIds.Of(lifted.Value, partition);
            }
            through = Math.Min(through, await JournaledThroughAsync(partition, last, askJournal));
        }
        long seen;
        do
        {
            seen = Volatile.Read(ref _journaledThrough);
            if (through <= seen) return seen;
        }
        while (Interlocked.CompareExchange(ref _journaledThrough, through, seen) != seen);
        return through;
    }

    /// <summary>The partition's bound: its last id handed out, below the first of its outbox batches not known to be journaled and of this instance's batches being written.</summary>
    private async Task<long> JournaledThroughAsync(int partition, long through, bool askJournal)
    {
        var journaled = _acks.Pending(partition);
        var head = await _hot.OutboxHeadAsync(partition, OutboxHeadPage);
        // The first batch not known to be journaled bounds it; a full page of journaled ones, the last of them. A batch is
        // journaled whole, in one database transaction: its first id tells.
        var first = FirstUnknown(head, journaled, 0);
        while (askJournal && first < head.Count && await _journal.ContainsAsync(head[first].FirstTransactionId, CancellationToken.None))
            first = FirstUnknown(head, journaled, first + 1);
        if (first < head.Count) through = Math.Min(through, head[first].FirstTransactionId - 1);
        else if (head.Count == OutboxHeadPage) through = Math.Min(through, head[^1].FirstTransactionId - 1);
        if (_inFlight.FirstUnjournaled(partition) is { } pending) through = Math.Min(through, pending - 1);
        return through;
    }

    /// <summary>The index of the first batch from <paramref name="from"/> on not known to be journaled; the count when none is.</summary>
    private static int FirstUnknown(IReadOnlyList<(string OutboxId, long FirstTransactionId)> head, IReadOnlySet<string> journaled, int from)
    {
        while (from < head.Count && journaled.Contains(head[from].OutboxId)) from++;
        return from;
    }

    private const int OutboxHeadPage = 64;

    /// <summary>
    /// The hot state of a card's holder; null when nobody holds the card (whether it is their live card, <see cref="HolderHotState.Card"/> says).
    /// With <paramref name="acrossGroup"/> (a terminal's sale), a card the campus does not know is looked for at the other
    /// campuses of its card group; the state says the holder's campus (<see cref="HolderHotState.Campus"/>).
    /// </summary>
    /// <exception cref="EngineUnavailableException">The hot state cannot be trusted now; it is being rebuilt.</exception>
    public async Task<HolderHotState?> ReadCardAsync(short campus, string cardNo, bool acrossGroup = false)
    {
        _status.ThrowUnlessReady();
        var card = await TrustedAsync(() => _resolver.CardAsync(campus, cardNo, acrossGroup));
        if (card is not { } found) return null;
        return await TrustedAsync(() => ReadHolderAsync(found.Campus, found.Card.PersonNo));
    }

    /// <summary>A person's hot state; null when they have no account.</summary>
    /// <exception cref="EngineUnavailableException">The hot state cannot be trusted now; it is being rebuilt.</exception>
    public Task<HolderHotState?> ReadPersonAsync(short campus, string personNo)
    {
        _status.ThrowUnlessReady();
        return TrustedAsync(() => ReadHolderAsync(campus, personNo));
    }

    /// <summary>A holder's hot state, refused while its partition is being recovered.</summary>
    private Task<HolderHotState?> ReadHolderAsync(short campus, string personNo)
    {
        var holder = HotTarget.Person(campus, personNo, _directory.Knows(campus, personNo));
        var partition = _hot.PartitionOf(holder);
        if (_recovery.IsRecovering(partition)) throw EngineStatus.Unavailable(EngineState.Recovering);
        return TrustedPartitionAsync(partition, () => _hot.ReadHolderAsync(holder));
    }

    private async Task<T> TrustedAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (HotStoreLostWritesException e)
        {
            Log.ReadRefused(_logger, e.Message);
            throw new EngineUnavailableException(ErrorReason.EngineRecovering, "the hot state is being rebuilt from the journal; retry shortly");
        }
    }

    /// <summary>A read of one partition: one that finds it untrustworthy has it rebuilt.</summary>
    private async Task<T> TrustedPartitionAsync<T>(int partition, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (HotStoreLostWritesException e)
        {
            _recovery.Request(partition, Recovery.LossOf(e), _closing.Token);
            throw;
        }
    }

    /// <summary>Releases the holds past their deadline now (tests; the engine does it every <see cref="EngineOptions.HoldExpiryInterval"/>).</summary>
    internal Task<int> ReleaseExpiredHoldsAsync(CancellationToken cancellationToken) => _holdExpiry.ReleaseExpiredAsync(cancellationToken);

    /// <summary>Brings the hot state level with the journal now (tests; the engine recovers by itself when it must).</summary>
    internal Task RecoverAsync(CancellationToken cancellationToken) => _recovery.RecoverAllAsync(cancellationToken);

    /// <summary>Removes this instance's mark once nothing more is written; left to lapse when the hot store is out of reach.</summary>
    private async Task LeaveAsync(Task renewing)
    {
        await renewing;
        try
        {
            await _hot.LeaveAsync();
        }
        catch (Exception e)
        {
            Log.PresenceNotRenewed(_logger, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host stops the engine, and then the container disposes it again.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _hot.PartitionShaken -= CheckShaken;
        await _closing.CancelAsync();
        _intake.Complete();
        if (_batching is not null) await _batching;
        _decided.Writer.TryComplete();
        // Decided batches get a grace period to reach the journal; what does not stays in the outbox, unanswered,
        // and the next start journals it.
        var writing = _writing ?? Task.CompletedTask;
        await Task.WhenAny(writing, Task.Delay(_options.ShutdownGrace));
        await _stopping.CancelAsync();
        await writing;
        _status.Set(EngineState.Stopped);
        if (_sweeping is not null) await _sweeping.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_aging is not null) await _aging.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_expiring is not null) await _expiring.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_campusRules is not null) await _campusRules.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_present is not null) await LeaveAsync(_present);
        _stopping.Dispose();
        _closing.Dispose();
        _metrics.Dispose();
    }
}
