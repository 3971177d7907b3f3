using Grpc.Net.Client;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// The load generator's connections to the service, as a terminal concentrator would open them: plain HTTP/2 without
/// what a general-purpose HTTP client adds to every request and a gRPC call never uses (redirects, cookies, a proxy
/// lookup, trace-context headers). Several channels, since one connection's reads and writes are each one at a time.
/// </summary>
internal static class TerminalChannels
{
    public static GrpcChannel[] Open(string address, int count) =>
        Enumerable.Range(0, count).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = Handler() })).ToArray();

    private static SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ActivityHeadersPropagator = null,
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
    };
}
