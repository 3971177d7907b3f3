using Google.Protobuf;
using CampusCard.Clearing.Grpc;

namespace CampusCard.Clearing.Contracts.V1;

/// <summary>
/// Builds method descriptors over protobuf messages: what Grpc.Tools would generate with
/// GrpcServices="Both" once Grpc.Core.Api restores, at which point this folder goes away.
/// </summary>
internal static class ProtoMethods
{
    public static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string service, string name)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => new(MethodType.Unary, service, name, ProtobufMarshaller.Create(new MessageParser<TRequest>(() => new TRequest())),
            ProtobufMarshaller.Create(new MessageParser<TResponse>(() => new TResponse())));
}
