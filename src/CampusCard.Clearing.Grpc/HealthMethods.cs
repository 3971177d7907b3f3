using CampusCard.Clearing.Grpc.Internal;
using Grpc.Health.V1;

namespace CampusCard.Clearing.Grpc;

/// <summary>The methods of the standard <c>grpc.health.v1.Health</c> service, for servers and clients.</summary>
public static class HealthMethods
{
    public const string ServiceName = "grpc.health.v1.Health";

    private static readonly Marshaller<HealthCheckRequest> RequestMarshaller = ProtobufMarshaller.Create(HealthCheckRequest.Parser);
    private static readonly Marshaller<HealthCheckResponse> ResponseMarshaller = ProtobufMarshaller.Create(HealthCheckResponse.Parser);

    public static Method<HealthCheckRequest, HealthCheckResponse> Check { get; } =
        new(MethodType.Unary, ServiceName, "Check", RequestMarshaller, ResponseMarshaller);

    public static Method<HealthCheckRequest, HealthCheckResponse> Watch { get; } =
        new(MethodType.ServerStreaming, ServiceName, "Watch", RequestMarshaller, ResponseMarshaller);
}
