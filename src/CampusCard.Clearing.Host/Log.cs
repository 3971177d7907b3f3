namespace CampusCard.Clearing.Host;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Applying journal migrations failed (attempt {Attempt}); retrying")]
    public static partial void MigrationFailed(ILogger logger, Exception exception, int attempt);
}
