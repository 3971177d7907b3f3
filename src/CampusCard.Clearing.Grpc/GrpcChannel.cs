using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CampusCard.Clearing.Grpc.Internal;

namespace CampusCard.Clearing.Grpc;

/// <summary>
/// A client connection to a gRPC server over HTTP/2 (prior knowledge for http://, ALPN for https://). Thread-safe:
/// create one per server and share it. A failed call throws <see cref="RpcException"/>.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        Invoker = options.HttpHandler is { } handler
            ? new HttpMessageInvoker(handler, disposeHandler: false)
            : new HttpMessageInvoker(
                new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = options.EnableMultipleHttp2Connections,
                    PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                    UseProxy = false,
                },
                disposeHandler: true);
    }

    public Uri Address { get; }

    internal HttpMessageInvoker Invoker { get; }

    internal int MaxReceiveMessageSize { get; }

    internal int? MaxSendMessageSize { get; }

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) => ForAddress(new Uri(address), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Address '{address}' must be an absolute http:// or https:// URI.", nameof(address));
        }

        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        using var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        await call.SendAsync(call.CreateUnaryContent(request)).ConfigureAwait(false);
        return await call.ReadSingleResponseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a server-streaming call when enumeration starts. Ending the enumeration early cancels the call; a token
    /// passed to <c>WithCancellation</c> cancels it like <see cref="CallOptions.CancellationToken"/>.
    /// </summary>
    public IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        => ServerStreamingCore(method, request, options);

    public async Task<TResponse> ClientStreamingAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, IAsyncEnumerable<TRequest> requests, CallOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var call = new GrpcCall<TRequest, TResponse>(this, method, options);
        await call.SendAsync(call.CreateStreamingContent(requests)).ConfigureAwait(false);
        return await call.ReadSingleResponseAsync().ConfigureAwait(false);
    }

    public void Dispose() => Invoker.Dispose();

    internal Uri GetMethodUri(string fullName) => _methodUris.GetOrAdd(fullName, static (name, address) => new Uri(address, name), Address);

    private async IAsyncEnumerable<TResponse> ServerStreamingCore<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, options.CancellationToken) : null;
        using var call = new GrpcCall<TRequest, TResponse>(this, method, linked is null ? options : options with { CancellationToken = linked.Token });
        await call.SendAsync(call.CreateUnaryContent(request)).ConfigureAwait(false);
        while (await call.ReadMessageAsync().ConfigureAwait(false) is (true, var message))
        {
            yield return message;
        }
    }
}
