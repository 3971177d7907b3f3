namespace CampusCard.Clearing.Grpc.Internal;

internal sealed class UnimplementedServerCallHandler(GrpcServerServices services) : ServerCallHandler
{
    protected override Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        var serviceName = call.Method.Split('/')[1];
        var detail = services.IsKnownService(serviceName) ? "Method is unimplemented." : "Service is unimplemented.";
        throw new RpcException(new Status(StatusCode.Unimplemented, detail));
    }
}
