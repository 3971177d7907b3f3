namespace CampusCard.Clearing.Grpc.Internal;

internal sealed class UnaryServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> invoker) : ServerCallHandler
{
    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(method.RequestMarshaller);
        var response = await invoker(request, call);
        await call.WriteSingleResponseAsync(response, method.ResponseMarshaller);
    }
}
