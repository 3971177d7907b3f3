using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>Counts every call by method and gRPC status, and how long it took (meter <see cref="MeterName"/>).</summary>
internal sealed class CallMetricsInterceptor : Interceptor
{
    public const string MeterName = "CampusCard.Clearing.Host";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public CallMetricsInterceptor(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("campuscard.rpc.calls", "{call}", "calls by method and gRPC status code");
        _duration = meter.CreateHistogram<double>("campuscard.rpc.duration", "s", "time from the call's arrival to its answer, by method and status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] });
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            Record(context, code, started);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await continuation(requestStream, context);
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            Record(context, code, started);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            Record(context, code, started);
        }
    }

    private static readonly Dictionary<StatusCode, string> CodeNames = Enum.GetValues<StatusCode>().ToDictionary(c => c, c => c.ToString());

    private void Record(ServerCallContext context, StatusCode code, long started)
    {
        var tags = new TagList { { "rpc", context.Method }, { "code", CodeNames[code] } };
        _calls.Add(1, tags);
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}
