using System.Net.Sockets;
using CampusCard.Clearing.Domain;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Npgsql;
using StackExchange.Redis;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>
/// Maps what the adapters and the engine throw to gRPC statuses, once for every method: a refusal to its
/// code, an unreachable dependency to UNAVAILABLE (retry with the same request id), a caller that went away
/// to CANCELLED (logged at debug, without a stack trace), anything else to INTERNAL.
/// </summary>
internal sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        if (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            Log.CallCancelled(logger, context.Method);
            return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client or its deadline passed"));
        }
        if (e is RefusedException refused) return new RpcException(new Status(Code(refused.Refusal), refused.Message));
        if (IsUnavailableDependency(e))
        {
            Log.DependencyUnavailable(logger, context.Method, e.GetType().Name, e.Message);
            return new RpcException(new Status(StatusCode.Unavailable, "a service the clearing engine depends on is unavailable; retry with the same request_id"));
        }
        Log.Unexpected(logger, e, context.Method);
        return new RpcException(new Status(StatusCode.Internal, "the clearing service failed unexpectedly; retry with the same request_id"));
    }

    public static StatusCode Code(Refusal refusal) => refusal switch
    {
        Refusal.InvalidArgument => StatusCode.InvalidArgument,
        Refusal.NotFound => StatusCode.NotFound,
        Refusal.AlreadyExists => StatusCode.AlreadyExists,
        Refusal.FailedPrecondition => StatusCode.FailedPrecondition,
        Refusal.PermissionDenied => StatusCode.PermissionDenied,
        _ => StatusCode.Unavailable,
    };

    private static bool IsUnavailableDependency(Exception e) => e switch
    {
        NpgsqlException or RedisException or SocketException or TimeoutException or IOException => true,
        AggregateException a => a.InnerExceptions.All(IsUnavailableDependency),
        _ => e.InnerException is { } inner && IsUnavailableDependency(inner),
    };
}
