using System.Diagnostics;
using System.Net.Sockets;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// HAProxy in front of service instances, configured by scripts/haproxy.sh as scripts/run.sh --instances puts it in
/// front of the service's processes: each call balanced on its own, an instance whose /healthz fails taken out.
/// </summary>
public sealed class HaProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private HaProxy(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Address = $"http://127.0.0.1:{port}";
    }

    /// <summary>HAProxy's address, where the tests' channel calls.</summary>
    public string Address { get; }

    /// <param name="backends">Each instance's gRPC port and the metrics port that answers its /healthz.</param>
    public static async Task<HaProxy> StartAsync(IEnumerable<(int Grpc, int Metrics)> backends)
    {
        var port = LoopbackPorts.Free();
        var script = Path.Combine(ExternalClient.RepositoryRoot, "scripts", "haproxy.sh");
        var config = await ExternalClient.RunAsync("bash", [script, "config", port.ToString(), .. backends.Select(b => $"{b.Grpc}:{b.Metrics}")]);
        var folder = Directory.CreateTempSubdirectory("cc-haproxy-").FullName;
        var file = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(file, config);
        var start = new ProcessStartInfo("haproxy", ["-db", "-f", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        var proxy = new HaProxy(process, folder, port);
        await proxy.WaitUntilListeningAsync(port);
        return proxy;
    }

    /// <summary>Until HAProxy passed <paramref name="calls"/> health calls in a row (each instance's, round robin) as SERVING.</summary>
    public static async Task UntilServingAsync(Grpc.Net.Client.GrpcChannel channel, int calls)
    {
        var health = new Grpc.Health.V1.Health.HealthClient(channel);
        var until = DateTime.UtcNow.AddSeconds(30);
        for (var passed = 0; passed < calls;)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("HAProxy did not pass health calls to every instance within 30 s");
            try
            {
                var reply = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                passed = reply.Status == Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving ? passed + 1 : 0;
            }
            catch (Grpc.Core.RpcException)
            {
                passed = 0;
                await Task.Delay(50);
            }
        }
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"haproxy exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }
        throw new TimeoutException($"haproxy did not listen on {port} within 5 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
