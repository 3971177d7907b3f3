using CampusCard.Clearing.Grpc.Internal;

namespace CampusCard.Clearing.Grpc;

public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted, in bytes; a larger one ends the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocolConstants.DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent, in bytes; null for no limit.</summary>
    public int? MaxSendMessageSize { get; set; }
}
