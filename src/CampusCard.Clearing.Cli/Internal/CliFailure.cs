namespace CampusCard.Clearing.Cli.Internal;

/// <summary>A run that cannot go on, with the exit code it ends with and a name for --json.</summary>
internal sealed class CliFailure(int exitCode, string kind, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public string Kind { get; } = kind;

    public static CliFailure Usage(string message) => new(ExitCodes.Usage, "USAGE", message);

    public static CliFailure NoCredential(string message) => new(ExitCodes.Denied, "NO_CREDENTIAL", message);
}
