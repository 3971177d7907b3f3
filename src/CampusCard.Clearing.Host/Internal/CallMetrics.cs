using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>Calls by method and gRPC status, and how long each took (meter <see cref="MeterName"/>).</summary>
internal sealed class CallMetrics
{
    public const string MeterName = "CampusCard.Clearing.Host";

    private static readonly Dictionary<StatusCode, string> CodeNames = Enum.GetValues<StatusCode>().ToDictionary(c => c, c => c.ToString());

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public CallMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("campuscard.rpc.calls", "{call}", "calls by method and gRPC status code");
        _duration = meter.CreateHistogram<double>("campuscard.rpc.duration", "s", "time from the call's arrival to its answer, by method and status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });
    }

    public void Record(string method, StatusCode code, long started)
    {
        var tags = new TagList { { "rpc", method }, { "code", CodeNames[code] } };
        _calls.Add(1, tags);
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}
