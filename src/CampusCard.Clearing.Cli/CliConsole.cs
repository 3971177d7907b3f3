using Spectre.Console;

namespace CampusCard.Clearing.Cli;

/// <summary>Where one run of the CLI writes, and where it reads its environment variables from.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<string, string?> Variable, bool Interactive)
{
    /// <summary>The process's own standard output, standard error and environment.</summary>
    public static CliConsole System => new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsOutputRedirected);

    internal IAnsiConsole Render(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        Out = new AnsiConsoleOutput(writer),
    });
}
