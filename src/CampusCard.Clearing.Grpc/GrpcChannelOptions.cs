using CampusCard.Clearing.Grpc.Internal;

namespace CampusCard.Clearing.Grpc;

public sealed class GrpcChannelOptions
{
    /// <summary>Largest response message accepted, in bytes; a larger one fails the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocolConstants.DefaultMaxReceiveMessageSize;

    /// <summary>Largest request message sent, in bytes; null for no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Opens another HTTP/2 connection when one reaches the server's concurrent stream limit.</summary>
    public bool EnableMultipleHttp2Connections { get; set; } = true;

    /// <summary>The handler to send requests with, instead of the channel's own <see cref="SocketsHttpHandler"/>; the channel does not dispose it.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }
}
