using Spectre.Console;

namespace CampusCard.Clearing.Cli;

/// <summary>Where one run of the CLI writes, and where it reads its environment variables from.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<string, string?> Variable, bool Interactive)
{
    /// <summary>The process's own standard output, standard error and environment.</summary>
    public static CliConsole System => new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, !Console.IsOutputRedirected);

    /// <summary>Without a terminal, lines as wide as this before tables wrap (Spectre.Console's own default is 80: a statement's table is wider).</summary>
    private const int RedirectedWidth = 160;

    internal IAnsiConsole Render(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!Interactive) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
