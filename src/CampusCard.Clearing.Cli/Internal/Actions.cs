using System.CommandLine;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>Binds a command to what it does against the service.</summary>
internal static class Actions
{
    public static Command Runs(this Command command, CliConsole console, Func<Invocation, Task<int>> run)
    {
        command.SetAction((parse, cancellation) => Invocation.RunAsync(parse, console, cancellation, run));
        return command;
    }

    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            if (symbol is Option option) command.Options.Add(option);
            else command.Arguments.Add((Argument)symbol);
        }
        return command;
    }
}
