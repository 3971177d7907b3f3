using System.Diagnostics;
using CampusCard.Clearing.Domain;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>
/// Every call passes here once. What the adapters and the engine throw becomes a gRPC status, for every method in one
/// place: a refusal its code with its ErrorInfo (<see cref="RefusalStatus"/>), an unreachable dependency UNAVAILABLE
/// (DEPENDENCY_UNAVAILABLE: retry with the same request id), a caller that went away CANCELLED (logged at debug, without a
/// stack trace), anything else INTERNAL. Then the call is counted by method and status, with its duration. One
/// interceptor rather than one per concern: each is a level of async calls on every call.
/// </summary>
internal sealed class CallInterceptor(CallMetrics metrics, ILogger<CallInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    private async Task<T> ObserveAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        catch (Exception e)
        {
            var mapped = Map(e, context);
            code = mapped.StatusCode;
            throw mapped;
        }
        finally
        {
            metrics.Record(context.Method, code, started);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        if (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            Log.CallCancelled(logger, context.Method);
            return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client or its deadline passed"));
        }
        if (e is RefusedException refused) return RefusalStatus.ToRpcException(refused);
        if (Dependencies.AreUnavailable(e))
        {
            Log.DependencyUnavailable(logger, context.Method, e.GetType().Name, e.Message);
            return RefusalStatus.ToRpcException(new RefusedException(ErrorReason.DependencyUnavailable,
                "a service the clearing engine depends on is unavailable; retry with the same request_id"));
        }
        Log.Unexpected(logger, e, context.Method);
        return RefusalStatus.ToRpcException(new RefusedException(ErrorReason.Internal, "the clearing service failed unexpectedly; retry with the same request_id"));
    }
}
