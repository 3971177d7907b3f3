namespace CampusCard.Clearing.Grpc.Internal;

internal sealed class HttpContextStreamReader<T>(HttpContextServerCallContext call, Marshaller<T> marshaller) : IAsyncStreamReader<T>
{
    public T Current { get; private set; } = default!;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
            : null;
        var (hasMessage, message) = await call.ReadMessageAsync(marshaller, linked?.Token ?? call.CancellationToken);
        Current = message;
        return hasMessage;
    }
}
