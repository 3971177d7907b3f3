using CampusCard.Clearing.Grpc;
using CampusCard.Clearing.Grpc.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>Maps each method of the service as <c>POST /{service}/{method}</c>.</summary>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder builder, ServerServiceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var services = GetServerServices(builder);
        var group = builder.MapGroup("");
        foreach (var (fullName, handler) in definition.CallHandlers)
        {
            services.AddService(fullName[1..fullName.LastIndexOf('/')]);
            group.MapPost(fullName, httpContext => handler.HandleCallAsync(httpContext, services));
        }

        return group;
    }

    /// <summary>
    /// Answers any other gRPC request (a POST with a gRPC content-type to <c>/{service}/{method}</c>) with
    /// UNIMPLEMENTED, so unknown services and methods get a gRPC status rather than an HTTP 404.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcFallback(this IEndpointRouteBuilder builder)
    {
        var services = GetServerServices(builder);
        var handler = new UnimplementedServerCallHandler(services);
        var pattern = RoutePatternFactory.Parse("{service}/{method}", defaults: null, parameterPolicies: new { method = new GrpcContentTypeConstraint() });
        return builder.Map(pattern, httpContext => handler.HandleCallAsync(httpContext, services))
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Post]));
    }

    private static GrpcServerServices GetServerServices(IEndpointRouteBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ServiceProvider.GetService<GrpcServerServices>()
            ?? throw new InvalidOperationException("Unable to find the required services. Add them by calling 'services.AddGrpcLayer()' in the application startup code.");
    }
}
