using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>Matches only requests with a gRPC content-type, so the fallback leaves other traffic alone.</summary>
internal sealed class GrpcContentTypeConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
        => httpContext is not null && GrpcProtocolConstants.IsGrpcContentType(httpContext.Request.ContentType);
}
