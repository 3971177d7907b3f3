namespace CampusCard.Clearing.Grpc.Internal;

internal sealed class HttpContextStreamWriter<T>(HttpContextServerCallContext call, Marshaller<T> marshaller) : IServerStreamWriter<T>
{
    public Task WriteAsync(T message) => call.WriteMessageAsync(message, marshaller, flush: true);
}
