using System.Diagnostics;
using System.Text.Json;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>Runs an independent gRPC client (buf curl, python3-grpcio) and returns what it printed.</summary>
public static class ExternalClient
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// buf curl over h2c (or TLS without verification) against <paramref name="address"/>, with the schema from the
    /// server's reflection service (which wants an operator's token) and <paramref name="token"/> on the call itself.
    /// </summary>
    public static Task<string> BufCurlAsync(string address, string method, string json, string? token, string? reflectionToken)
    {
        List<string> args = ["-d", json, $"{address}/{method}"];
        if (token is not null) args.InsertRange(0, ["-H", "authorization: Bearer " + token]);
        return BufAsync(address, reflectionToken, args);
    }

    /// <summary>buf curl --list-services through reflection.</summary>
    public static Task<string> BufListServicesAsync(string address, string? reflectionToken) =>
        BufAsync(address, reflectionToken, ["--list-services", address]);

    private static Task<string> BufAsync(string address, string? reflectionToken, List<string> args)
    {
        var buf = Environment.GetEnvironmentVariable("CC_BUF") is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new InvalidOperationException("buf is not installed: run the tests with scripts/test.sh, which installs @bufbuild/buf into .local/tools and sets CC_BUF");
        var tls = address.StartsWith("https", StringComparison.Ordinal);
        List<string> all = ["curl", tls ? "--insecure" : "--http2-prior-knowledge", "--protocol", "grpc"];
        if (reflectionToken is not null) all.AddRange(["--reflect-header", "authorization: Bearer " + reflectionToken]);
        return RunAsync(buf, [.. all, .. args]);
    }

    /// <summary>
    /// A scenario of Interop/interop.py, run by Debian's python3-grpcio (/usr/bin/python3, not whatever python3 is
    /// first on PATH); one JSON object per line it printed.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> PythonAsync(string address, string scenario, object? args = null)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) throw new InvalidOperationException("/usr/bin/python3 is missing: scripts/test.sh installs python3-grpcio");
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "interop.py");
        var output = await RunAsync(python, [script, RepositoryRoot, address.Replace("http://", ""), scenario, JsonSerializer.Serialize(args ?? new { })]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
    }

    /// <summary>
    /// A scenario of Interop/interop.py whose lines are handed to <paramref name="onLine"/> as they are printed, so a
    /// test can act between them (change the server's state while a stream is open).
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> PythonStreamAsync(string address, string scenario, object args, Func<JsonElement, Task> onLine)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Interop", "interop.py"), RepositoryRoot, address.Replace("http://", ""), scenario, JsonSerializer.Serialize(args) })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var element = JsonDocument.Parse(line).RootElement;
            lines.Add(element);
            await onLine(element);
        }
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0 ? lines : throw new InvalidOperationException($"python3 exited with {process.ExitCode}: {await stderr}");
    }

    /// <summary>Runs a program (in <paramref name="workingDirectory"/>, else here) for 60 s at most; what it printed, or a failure with it.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 60)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{fileName} did not finish in {timeoutSeconds} s"); }
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{Path.GetFileName(fileName)} exited with {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CampusCard.Clearing.sln"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (with CampusCard.Clearing.sln) is not above the test binaries");
    }
}
