using Google.Protobuf;

namespace CampusCard.Clearing.Grpc;

/// <summary>Marshallers for protobuf messages, as generated gRPC code builds them.</summary>
public static class ProtobufMarshaller
{
    public static Marshaller<T> Create<T>(MessageParser<T> parser)
        where T : IMessage<T>
        => Marshallers.Create<T>((message, writer) => message.WriteTo(writer), parser.ParseFrom);
}
