using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Journal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied journal migration {Name}")]
    public static partial void MigrationApplied(ILogger logger, string name);

    [LoggerMessage(2, LogLevel.Warning, "A journal batch of {Count} transactions met rows already stored; storing it idempotently")]
    public static partial void ReplayingBatch(ILogger logger, int count);
}
