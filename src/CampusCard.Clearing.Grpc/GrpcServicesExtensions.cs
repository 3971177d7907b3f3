using CampusCard.Clearing.Grpc;
using CampusCard.Clearing.Grpc.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class GrpcServicesExtensions
{
    /// <summary>Adds the services that <c>MapGrpcService</c> and <c>MapGrpcFallback</c> need.</summary>
    public static IServiceCollection AddGrpcLayer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<GrpcServerServices>();
        return services;
    }
}
