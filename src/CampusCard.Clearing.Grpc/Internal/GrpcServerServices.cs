using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Grpc.Internal;

/// <summary>What every call handler needs from the host; registered by <c>AddGrpcLayer</c>.</summary>
internal sealed class GrpcServerServices(IOptions<GrpcServerOptions> options, ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, bool> _serviceNames = new(StringComparer.Ordinal);

    public GrpcServerOptions Options { get; } = options.Value;

    public ILogger Logger { get; } = loggerFactory.CreateLogger("CampusCard.Clearing.Grpc.Server");

    public void AddService(string serviceName) => _serviceNames.TryAdd(serviceName, true);

    public bool IsKnownService(string serviceName) => _serviceNames.ContainsKey(serviceName);
}
