using System.Reflection;
using CampusCard.Clearing.Engine;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>What /metrics serves: the calls, the engine, and the meters of what the service stands on.</summary>
internal static class ClearingMetrics
{
    /// <summary>The resource's service.name (Prometheus: target_info).</summary>
    public const string ServiceName = "campuscard-clearing";

    /// <summary>
    /// Besides ours: Kestrel's connections, Npgsql's connection pool and commands, and the runtime's own (GC, allocation,
    /// thread pool, lock contention, CPU time).
    /// </summary>
    private static readonly string[] Meters = [ClearingEngine.MeterName, CallMetrics.MeterName, "Microsoft.AspNetCore.Server.Kestrel", "Npgsql", "System.Runtime"];

    public static IServiceCollection AddClearingMetrics(this IServiceCollection services)
    {
        var version = typeof(ClearingMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: version))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        return services;
    }
}
