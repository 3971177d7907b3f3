namespace CampusCard.Clearing.Host;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Applying journal migrations failed (attempt {Attempt}); retrying")]
    public static partial void MigrationFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(2, LogLevel.Debug, "{Method} was cancelled by its caller")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(3, LogLevel.Warning, "{Method} answered UNAVAILABLE: {ExceptionType}: {Reason}")]
    public static partial void DependencyUnavailable(ILogger logger, string method, string exceptionType, string reason);

    [LoggerMessage(5, LogLevel.Critical, "The service does not run on this hot store: {Reason}")]
    public static partial void UnsafeHotStore(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Critical, "The journal's databases are not the ones configured: {Reason}")]
    public static partial void Misconfigured(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Error, "{Method} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception, string method);

    [LoggerMessage(6, LogLevel.Information, "{Method} refused to {Peer}: {Status}: {Reason}")]
    public static partial void CallRefused(ILogger logger, string method, Grpc.Core.StatusCode status, string reason, string peer);
}
