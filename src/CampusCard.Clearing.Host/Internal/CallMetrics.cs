using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>
/// How long each call took, by OpenTelemetry's semantic conventions for RPC servers (meter <see cref="MeterName"/>):
/// the histogram <c>rpc.server.call.duration</c> in seconds with <c>rpc.system</c>, <c>rpc.service</c>,
/// <c>rpc.method</c> and <c>rpc.grpc.status_code</c>; its count is the calls.
/// </summary>
internal sealed class CallMetrics
{
    public const string MeterName = "CampusCard.Clearing.Host";

    // Boxed once: a tag's value is an object, and a call should not allocate one.
    private static readonly object[] StatusCodes = Enumerable.Range(0, 17).Select(code => (object)code).ToArray();

    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, (string Service, string Method)> _methods = new(StringComparer.Ordinal);

    public CallMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>("rpc.server.call.duration", "s", "time from a call's arrival to its answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });
    }

    /// <param name="method">The call's path, /package.Service/Method.</param>
    public void Record(string method, StatusCode code, long started)
    {
        var (service, name) = _methods.GetOrAdd(method, Split);
        var tags = new TagList
        {
            { "rpc.system", "grpc" },
            { "rpc.service", service },
            { "rpc.method", name },
            { "rpc.grpc.status_code", StatusCodes[(int)code] },
        };
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    private static (string Service, string Method) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return (path[1..slash], path[(slash + 1)..]);
    }
}
