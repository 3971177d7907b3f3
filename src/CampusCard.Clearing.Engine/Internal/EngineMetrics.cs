using System.Diagnostics.Metrics;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// What operators watch (meter <see cref="ClearingEngine.MeterName"/>): batch sizes and decide time, journal writes
/// and their lag, queue depth, decisions by kind and outcome, and the engine's state.
/// </summary>
internal sealed class EngineMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<int> _batchRequests;
    private readonly Histogram<double> _decideSeconds;
    private readonly Histogram<int> _writeTransactions;
    private readonly Histogram<double> _writeSeconds;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _lookups;

    private static readonly InstrumentAdvice<double> Seconds = new() { HistogramBucketBoundaries = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 5] };

    public EngineMetrics(IMeterFactory? factory, Func<int> queued, Func<int> unjournaled, Func<double> lagSeconds, Func<EngineState> state)
    {
        _meter = factory?.Create(ClearingEngine.MeterName) ?? new Meter(ClearingEngine.MeterName);
        _batchRequests = _meter.CreateHistogram<int>("campuscard.engine.batch.requests", "{request}", "requests decided in one hot-store call",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _decideSeconds = _meter.CreateHistogram<double>("campuscard.engine.decide.duration", "s", "a batch's hot-store decide", advice: Seconds);
        _writeTransactions = _meter.CreateHistogram<int>("campuscard.engine.journal.write.transactions", "{transaction}", "transactions in one journal commit",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096] });
        _writeSeconds = _meter.CreateHistogram<double>("campuscard.engine.journal.write.duration", "s", "one journal commit, retries included", advice: Seconds);
        _decisions = _meter.CreateCounter<long>("campuscard.engine.decisions", "{decision}", "requests decided, by kind and outcome");
        _lookups = _meter.CreateCounter<long>("campuscard.engine.journal.lookups", "{batch}", "batches looked up in the journal before their decide: one may hold an aged request");
        _meter.CreateObservableGauge("campuscard.engine.queue.depth", queued, "{request}", "requests waiting to be batched");
        _meter.CreateObservableGauge("campuscard.engine.journal.unjournaled", unjournaled, "{batch}", "batches decided and not yet in the journal");
        _meter.CreateObservableGauge("campuscard.engine.journal.lag", lagSeconds, "s", "age of the oldest batch decided and not yet in the journal");
        _meter.CreateObservableGauge("campuscard.engine.state", () => Enum.GetValues<EngineState>()
            .Select(s => new Measurement<int>(s == state() ? 1 : 0, new KeyValuePair<string, object?>("state", s.ToString().ToLowerInvariant()))),
            description: "1 for the engine's current state");
    }

    public void Decided(int requests, TimeSpan took)
    {
        _batchRequests.Record(requests);
        _decideSeconds.Record(took.TotalSeconds);
    }

    public void Decision(TransactionKind kind, Outcome outcome) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("kind", Codes.Name(kind)), new KeyValuePair<string, object?>("outcome", Codes.Name(outcome)));

    public void JournalLookup() => _lookups.Add(1);

    public void Written(int transactions, TimeSpan took)
    {
        _writeTransactions.Record(transactions);
        _writeSeconds.Record(took.TotalSeconds);
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Codes by name for tags, without an allocation per decision.</summary>
internal static class Codes
{
    private static readonly string[] Kinds = Names<TransactionKind>();
    private static readonly string[] Outcomes = Names<Outcome>();

    public static string Name(TransactionKind kind) => Kinds[(int)kind];

    public static string Name(Outcome outcome) => Outcomes[(int)outcome];

    private static string[] Names<TEnum>() where TEnum : struct, Enum
    {
        var names = new string[Enum.GetValues<TEnum>().Max(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)) + 1];
        foreach (var v in Enum.GetValues<TEnum>()) names[Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)] = v.ToString().ToLowerInvariant();
        return names;
    }
}
