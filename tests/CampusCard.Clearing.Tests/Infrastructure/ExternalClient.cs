using System.Diagnostics;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>Runs an independent gRPC client (buf curl, python3-grpcio) and returns what it printed.</summary>
public static class ExternalClient
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>buf curl over h2c (or TLS without verification) against <paramref name="address"/>.</summary>
    public static Task<string> BufCurlAsync(string address, string method, string json)
    {
        var buf = Environment.GetEnvironmentVariable("CC_BUF") is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new InvalidOperationException("buf is not installed: run the tests with scripts/test.sh, which installs @bufbuild/buf into .local/tools and sets CC_BUF");
        var tls = address.StartsWith("https", StringComparison.Ordinal);
        return RunAsync(buf, [
            "curl", tls ? "--insecure" : "--http2-prior-knowledge", "--protocol", "grpc",
            "--schema", Path.Combine(RepositoryRoot, "protos"), "-d", json, $"{address}/{method}",
        ]);
    }

    /// <summary>Debian's python3-grpcio, which lives in /usr/bin/python3 (not in whatever python3 is first on PATH).</summary>
    public static Task<string> PythonAsync(string script, params string[] args)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) throw new InvalidOperationException("/usr/bin/python3 is missing: scripts/test.sh installs python3-grpcio");
        return RunAsync(python, ["-c", script, .. args]);
    }

    private static async Task<string> RunAsync(string fileName, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{fileName} did not finish in 60 s"); }
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
