namespace CampusCard.Clearing.Grpc.Internal;

internal sealed class ServerStreamingServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> invoker) : ServerCallHandler
{
    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(method.RequestMarshaller);
        await invoker(request, new HttpContextStreamWriter<TResponse>(call, method.ResponseMarshaller), call);
    }
}
