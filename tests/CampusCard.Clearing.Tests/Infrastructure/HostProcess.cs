using System.Diagnostics;
using System.Reflection;
using System.Text;
using CampusCard.Clearing.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// The host as an operator runs it, <c>dotnet CampusCard.Clearing.Host.dll</c> (the build's own output), in a process
/// of its own whose settings are environment variables only: none of this process's settings reach it.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    /// <summary>The sections the host reads settings from; a variable of one of them in this process is not passed on.</summary>
    private static readonly string[] Sections = ["Listen__", "Metrics__", "ConnectionStrings__", "Journal__", "Auth__", "HotStore__", "Engine__", "Channels__", "Cards__", "Finance__", "Logging__"];

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private HostProcess(IEnumerable<KeyValuePair<string, string>> settings, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Dll, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var name in start.Environment.Keys.Where(k => Sections.Any(s => k.StartsWith(s, StringComparison.Ordinal))).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in settings) start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string Dll { get; } = Path.Combine(ExternalClient.RepositoryRoot, "src", "CampusCard.Clearing.Host", "bin",
        typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0", "CampusCard.Clearing.Host.dll");

    /// <summary>A configuration the service starts with, on a port of its own: the test's Redis under a new key prefix, its signing key, no metrics.</summary>
    public static Dictionary<string, string> GoodSettings(string journalConnectionString) => new()
    {
        ["Listen__Address"] = $"127.0.0.1:{LoopbackPorts.Free()}",
        ["Metrics__Address"] = "",
        ["ConnectionStrings__Redis"] = LocalServers.RedisConnectionString,
        ["ConnectionStrings__Journal"] = journalConnectionString,
        ["HotStore__KeyPrefix"] = LocalServers.NewKeyPrefix(),
        ["Auth__PublicKeyPath"] = TestCredentials.KeyPath,
    };

    /// <param name="arguments">The host's command line: a command (migrate, repartition) and its options; none runs the service.</param>
    public static HostProcess Start(IEnumerable<KeyValuePair<string, string>> settings, params string[] arguments) => new(settings, arguments);

    /// <summary>Runs the host until it exits by itself (a command, a refused start), within <paramref name="timeout"/>.</summary>
    public static async Task<ProcessRun> RunToExitAsync(IEnumerable<KeyValuePair<string, string>> settings, TimeSpan timeout, params string[] arguments)
    {
        await using var host = Start(settings, arguments);
        return await host.WaitForExitAsync(timeout);
    }

    /// <summary>Waits until the host exits by itself, within <paramref name="timeout"/>.</summary>
    public async Task<ProcessRun> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the host was still running after {timeout.TotalSeconds} s: {Output()}");
        }
        return Output();
    }

    /// <summary>Waits until Health answers SERVING at <paramref name="address"/>.</summary>
    public async Task WaitUntilServingAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var health = new Health.HealthClient(channel);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the host exited: {Output()}");
            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < until)
            {
            }
            if (DateTime.UtcNow > until) throw new TimeoutException($"the host did not report SERVING within 60 s: {Output()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the host as an operator does (SIGTERM) and returns what it wrote.</summary>
    public async Task<ProcessRun> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
        return Output();
    }

    /// <summary>Kills the host (SIGKILL, as kill -9 or a crash) once <paramref name="reached"/> holds, and returns what it wrote.</summary>
    /// <exception cref="InvalidOperationException">The host exited first.</exception>
    /// <exception cref="TimeoutException"><paramref name="reached"/> did not hold within 60 s.</exception>
    public async Task<ProcessRun> KillWhenAsync(Func<Task<bool>> reached)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await reached())
        {
            if (_process.HasExited) throw new InvalidOperationException($"the host exited before it was to be killed: {Output()}");
            if (DateTime.UtcNow > until) throw new TimeoutException($"the host did not reach where it was to be killed within 60 s: {Output()}");
            await Task.Delay(50);
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        return Output();
    }

    private ProcessRun Output()
    {
        lock (_out)
        lock (_error)
            return new ProcessRun(_process.HasExited ? _process.ExitCode : null, _out.ToString(), _error.ToString());
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null) return;
        lock (text) text.Append(line).Append('\n');
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>What a process wrote, and its exit code once it exited.</summary>
public sealed record ProcessRun(int? ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- error\n{Error}";
}
