using System.Text.Json;
using CampusCard.Clearing.Cli;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>What one run of the campuscard CLI answered: its exit code and what it wrote.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs the CLI in process, with no environment variables of its own: <paramref name="args"/> say everything.</summary>
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>Runs the CLI in process with <paramref name="variables"/> as its only environment variables.</summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await CampusCardCli.RunAsync(args, new CliConsole(output, error, variables.GetValueOrDefault, Interactive: false));
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The --json document on standard output.</summary>
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- error\n{Error}";
}
