using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace CampusCard.Clearing.Grpc.Tests;

/// <summary>Runs Interop/interop_client.py with Debian's /usr/bin/python3 (where python3-grpcio installs).</summary>
internal static class Python
{
    private const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Lazy<Task<string?>> MissingGrpc = new(FindMissingGrpcAsync);

    public static string InteropDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Interop");

    /// <summary>Runs a scenario and returns the JSON lines it printed; onLine sees each line as it arrives.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RunScenarioAsync(int port, string scenario, string argument = "", Func<JsonElement, Task>? onLine = null)
    {
        if (await MissingGrpc.Value is { } problem)
        {
            Assert.Fail($"{Interpreter} cannot import grpc ({problem}). The interop tests need Debian's python3-grpcio and python3-grpc-tools: scripts/test.sh installs them (apt-get install -y python3-grpcio python3-grpc-tools).");
        }

        using var process = Start(Path.Combine(InteropDirectory, "interop_client.py"), port.ToString(CultureInfo.InvariantCulture), scenario, argument);
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var json = JsonDocument.Parse(line).RootElement;
                lines.Add(json);
                if (onLine is not null)
                {
                    await onLine(json);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        Assert.True(process.ExitCode == 0, $"interop_client.py {scenario} exited with {process.ExitCode}:\n{await stderr}");
        return lines;
    }

    private static async Task<string?> FindMissingGrpcAsync()
    {
        try
        {
            using var process = Start("-c", "import grpc, grpc_tools");
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : stderr.Trim().Split('\n')[^1];
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }

    private static Process Start(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Interpreter, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["PYTHONIOENCODING"] = "utf-8";
        startInfo.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return Process.Start(startInfo)!;
    }
}
