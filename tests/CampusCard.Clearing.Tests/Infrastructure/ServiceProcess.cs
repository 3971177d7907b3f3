using System.Diagnostics;
using System.Text;
using CampusCard.Clearing.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// The service as the product runs it: the host's own binary (CampusCard.Clearing.Host.dll, built beside the tests) in
/// a process of its own, configured by environment variables, with the host's defaults for everything else (among
/// them the socket engine's inline completions). Started once it reports SERVING; stopped with SIGTERM.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port)
    {
        _process = process;
        Address = $"http://127.0.0.1:{port}";
        Channel = GrpcChannel.ForAddress(Address);
    }

    public string Address { get; }
    public GrpcChannel Channel { get; }

    /// <summary>What the service wrote to its console so far (warnings and errors).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="settings">Environment variables (ASP.NET configuration naming) over the host's appsettings.json.</param>
    public static async Task<ServiceProcess> StartAsync(string redis, string journal, string keyPrefix, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CampusCard.Clearing.Host.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The host decides about inline completions itself, as in production, unless the test says otherwise.
        start.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS");
        start.Environment["ConnectionStrings__Redis"] = redis;
        start.Environment["ConnectionStrings__Journal"] = journal;
        start.Environment["HotStore__KeyPrefix"] = keyPrefix;
        start.Environment["Auth__PublicKeyPath"] = TestCredentials.KeyPath;
        start.Environment["Listen__Address"] = $"127.0.0.1:{port}";
        start.Environment["Metrics__Address"] = "";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings ?? []) start.Environment[name] = value;
        var service = new ServiceProcess(Process.Start(start)!, port);
        service._process.OutputDataReceived += (_, e) => service.Append(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilServingAsync();
        }
        catch
        {
            // A service that never served is not left running behind the failed test.
            await service.DisposeAsync();
            throw;
        }
        return service;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilServingAsync()
    {
        var health = new Health.HealthClient(Channel);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the service exited with {_process.ExitCode}: {Output}");
            if (DateTime.UtcNow > until) throw new TimeoutException($"the service did not report SERVING within 60 s: {Output}");
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (Grpc.Core.RpcException)
            {
            }
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL, as a machine dies: nothing it held in memory reaches anyone.</summary>
    public async Task KillAsync()
    {
        Signals.Send(_process.Id, Signals.Kill);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an operator stops it: decided batches get their grace period to reach the journal.</summary>
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_process.HasExited)
        {
            Signals.Send(_process.Id, Signals.Terminate);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process.Dispose();
    }
}
