using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace CampusCard.Clearing.Grpc.Internal;

internal sealed class ClientStreamingServerCallHandler<TRequest, TResponse>(
    Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> invoker) : ServerCallHandler
{
    protected override async Task HandleCallCoreAsync(HttpContextServerCallContext call)
    {
        // A request stream may be long and slow: only the per-message limit applies.
        if (call.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxRequestBodySize)
        {
            maxRequestBodySize.MaxRequestBodySize = null;
        }

        if (call.HttpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRequestBodyDataRate)
        {
            minRequestBodyDataRate.MinDataRate = null;
        }

        var response = await invoker(new HttpContextStreamReader<TRequest>(call, method.RequestMarshaller), call);
        await call.WriteSingleResponseAsync(response, method.ResponseMarshaller);
    }
}
