using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Journal.SqlServer.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied journal migration {Name} (SQL Server)")]
    public static partial void MigrationApplied(ILogger logger, string name);

    [LoggerMessage(2, LogLevel.Warning, "A journal batch of {Count} transactions met rows already stored; storing it idempotently (SQL Server)")]
    public static partial void ReplayingBatch(ILogger logger, int count);
}
