using Microsoft.AspNetCore.Http;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>Serves one method: checks the request is gRPC, runs the call and ends it with a status.</summary>
internal abstract class ServerCallHandler
{
    public async Task HandleCallAsync(HttpContext httpContext, GrpcServerServices services)
    {
        if (await TryRejectRequestAsync(httpContext, services))
        {
            return;
        }

        using var call = new HttpContextServerCallContext(httpContext, services.Options, services.Logger);
        Status status;
        try
        {
            await HandleCallCoreAsync(call);
            status = call.Status;
        }
        catch (Exception ex)
        {
            status = call.GetStatusFromException(ex);
        }

        await call.EndCallAsync(status);
    }

    protected abstract Task HandleCallCoreAsync(HttpContextServerCallContext call);

    private static async Task<bool> TryRejectRequestAsync(HttpContext httpContext, GrpcServerServices services)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            Log.UnsupportedRequestProtocol(services.Logger, request.Protocol);
            httpContext.Response.Headers.Upgrade = "HTTP/2.0";
            await RejectAsync(httpContext, StatusCodes.Status426UpgradeRequired, $"Request protocol '{request.Protocol}' is not supported: gRPC needs HTTP/2.");
            return true;
        }

        if (!GrpcProtocolConstants.IsGrpcContentType(request.ContentType))
        {
            Log.UnsupportedRequestContentType(services.Logger, request.ContentType);
            await RejectAsync(httpContext, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported: gRPC needs '{GrpcProtocolConstants.GrpcContentType}'.");
            return true;
        }

        return false;
    }

    private static Task RejectAsync(HttpContext httpContext, int statusCode, string message)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "text/plain";
        return httpContext.Response.WriteAsync(message);
    }
}
