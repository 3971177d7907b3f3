using System.Threading.Channels;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CampusCard.Clearing.Grpc;

/// <summary>
/// The standard health service. Check answers NOT_FOUND for a service with no status set; Watch sends the current
/// status (SERVICE_UNKNOWN for such a service) and then each change, until the call is cancelled.
/// </summary>
public sealed class HealthServiceImpl
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChannelWriter<ServingStatus>>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Sets the status of a service; "" is the whole server.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            if (_statuses.TryGetValue(service, out var current) && current == status)
            {
                return;
            }

            _statuses[service] = status;
            foreach (var watcher in _watchers.GetValueOrDefault(service) ?? [])
            {
                watcher.TryWrite(status);
            }
        }
    }

    public ServerServiceDefinition BindService()
        => ServerServiceDefinition.CreateBuilder()
            .AddMethod(HealthMethods.Check, Check)
            .AddMethod(HealthMethods.Watch, Watch)
            .Build();

    private Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(request.Service, out var status)
                ? Task.FromResult(new HealthCheckResponse { Status = status })
                : throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}'."));
        }
    }

    private async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        // Only the latest status matters: a slow watcher skips the ones it had no time to send.
        var channel = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            channel.Writer.TryWrite(_statuses.GetValueOrDefault(request.Service, ServingStatus.ServiceUnknown));
            if (!_watchers.TryGetValue(request.Service, out var watchers))
            {
                _watchers[request.Service] = watchers = [];
            }

            watchers.Add(channel.Writer);
        }

        try
        {
            await foreach (var status in channel.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status });
            }
        }
        finally
        {
            lock (_lock)
            {
                var watchers = _watchers[request.Service];
                watchers.Remove(channel.Writer);
                if (watchers.Count == 0)
                {
                    _watchers.Remove(request.Service);
                }
            }
        }
    }
}
