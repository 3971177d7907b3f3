using System.CommandLine;
using CampusCard.Clearing.Cli.Internal;

namespace CampusCard.Clearing.Cli;

/// <summary>The <c>campuscard</c> command line: the card office's and finance's calls to the clearing service.</summary>
public static class CampusCardCli
{
    public static RootCommand Create(CliConsole console)
    {
        var root = new RootCommand("campuscard: the card office's, finance's and the vendor's command line for the CampusCard clearing service. Every call acts on the campus its token names. " + ExitCodes.Help);
        foreach (var option in GlobalOptions.All) root.Options.Add(option);
        foreach (var group in CommandGroups.All(console)) root.Subcommands.Add(group);
        return root;
    }

    /// <summary>Parses and runs one command line; the answer is the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var parsed = Create(console).Parse(args);
        var invocation = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        if (parsed.Errors.Count == 0) return await parsed.InvokeAsync(invocation, cancellationToken);
        foreach (var error in parsed.Errors) await console.Error.WriteLineAsync(error.Message);
        await console.Error.WriteLineAsync("See campuscard --help.");
        return ExitCodes.Usage;
    }
}
