using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Clearing engine is {State}")]
    public static partial void StateChanged(ILogger logger, EngineState state);

    [LoggerMessage(2, LogLevel.Warning, "Journal write of {Count} transactions failed; retrying in {Delay}")]
    public static partial void JournalRetry(ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Error, "Partition {Partition}'s share of a batch ({Count} requests) could not be decided; its callers get UNAVAILABLE and the partition is recovered")]
    public static partial void DecideFailed(ILogger logger, Exception exception, int partition, int count);

    [LoggerMessage(23, LogLevel.Error, "A batch of {Count} could not be resolved or looked up in the journal; its callers get UNAVAILABLE")]
    public static partial void CouldNotResolve(ILogger logger, Exception exception, int count);

    [LoggerMessage(4, LogLevel.Warning, "Wrote {Count} outbox batches of partition {Partition} left behind into the journal")]
    public static partial void OutboxDrained(ILogger logger, int partition, int count);

    [LoggerMessage(5, LogLevel.Warning, "Partition {Partition} of the hot store is incomplete, behind the journal or lost writes (its sequence {Sequence}, the journal's {JournalSequence}); rebuilding it from the journal")]
    public static partial void Rebuilding(ILogger logger, int partition, long? sequence, long journalSequence);

    [LoggerMessage(6, LogLevel.Information, "Rebuilt partition {Partition}: {Holders} holders and {Records} recent transactions")]
    public static partial void Rebuilt(ILogger logger, int partition, int holders, int records);

    [LoggerMessage(7, LogLevel.Error, "Recovery of partition {Partition} failed; trying again in {Delay}")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception, int partition, TimeSpan delay);

    [LoggerMessage(8, LogLevel.Error, "The journal refused a batch partition {Partition} of the hot store decided: it lost writes; the batch, never answered, is dropped and the partition rebuilt")]
    public static partial void LostWrites(ILogger logger, Exception exception, int partition);

    [LoggerMessage(9, LogLevel.Warning, "Sweeping the outbox of partition {Partition} failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception, int partition);

    [LoggerMessage(10, LogLevel.Warning, "A read was refused, the hot state cannot be trusted: {Reason}; recovering")]
    public static partial void ReadRefused(ILogger logger, string reason);

    [LoggerMessage(11, LogLevel.Warning, "Reading aged request keys from the journal failed; batches are looked up in the journal until it succeeds")]
    public static partial void AgedRequestsFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "Loaded {Count} request keys decided before {Horizon} from the journal; batches without them skip the journal lookup")]
    public static partial void AgedRequestsLoaded(ILogger logger, long count, string horizon);

    [LoggerMessage(13, LogLevel.Warning, "The card-status feed could not read on from the journal; it tries again")]
    public static partial void CardStatusFeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Releasing expired holds failed; trying again")]
    public static partial void HoldExpiryFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Information, "Released {Count} holds past their deadline")]
    public static partial void HoldsExpired(ILogger logger, int count);

    [LoggerMessage(16, LogLevel.Information, "Subsidy batch {BatchId}: {Done} of {Rows} rows decided ({Issued} issued now)")]
    public static partial void SubsidyProgress(ILogger logger, string batchId, int done, int rows, int issued);

    [LoggerMessage(17, LogLevel.Information, "Subsidy batch {BatchId}: recalled {Recalled} unclaimed subsidies ({Fen} fen)")]
    public static partial void SubsidiesRecalled(ILogger logger, string batchId, int recalled, long fen);

    [LoggerMessage(18, LogLevel.Information, "Settled business day {Day}: {Merchants} merchants, {Fen} fen to bank clearing")]
    public static partial void Settled(ILogger logger, string day, int merchants, long fen);

    [LoggerMessage(19, LogLevel.Warning, "The scheduled settlement failed; it is tried again")]
    public static partial void SettlementFailed(ILogger logger, Exception exception);

    [LoggerMessage(20, LogLevel.Warning, "The hot state differs from the journal for {Count} fields: {Differences}")]
    public static partial void HotStateDiffers(ILogger logger, int count, string differences);

    [LoggerMessage(21, LogLevel.Warning, "The scheduled check of the hot state against the journal failed; it is tried again")]
    public static partial void HotStateCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(24, LogLevel.Error, "The hot store cannot be reached or checked; trying again in {Delay}")]
    public static partial void HotStoreUnreachable(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(22, LogLevel.Information, "The journal and the hot store are empty: a first start")]
    public static partial void FirstStart(ILogger logger);

    [LoggerMessage(25, LogLevel.Warning, "Fenced partition {Partition}: it lost writes, and no instance decides there until it is rebuilt")]
    public static partial void Fenced(ILogger logger, int partition);

    [LoggerMessage(26, LogLevel.Warning, "Fencing partition {Partition} failed; its rebuild fences it when the hot store answers")]
    public static partial void FenceFailed(ILogger logger, Exception exception, int partition);

    [LoggerMessage(27, LogLevel.Warning, "Dropped {Batches} outbox batches of partition {Partition} decided after it lost writes; never answered, their callers retry")]
    public static partial void DroppedAfterLostWrites(ILogger logger, int partition, int batches);

    [LoggerMessage(28, LogLevel.Warning, "Dropped {Batches} decided batches of partitions that lost writes before they reached the journal; never answered, their callers retry")]
    public static partial void DroppedStaleBatches(ILogger logger, int batches);

    [LoggerMessage(29, LogLevel.Warning, "The Redis server of partition {Partition} failed: the partition is checked against the journal before it decides again")]
    public static partial void PartitionShaken(ILogger logger, int partition);

    [LoggerMessage(30, LogLevel.Information, "The hot state was repartitioned {Note} by the host's repartition command, which rebuilt it from the journal")]
    public static partial void Repartitioned(ILogger logger, string note);

    [LoggerMessage(31, LogLevel.Debug, "This instance's mark in the hot store could not be renewed; trying again")]
    public static partial void PresenceNotRenewed(ILogger logger, Exception exception);

    [LoggerMessage(32, LogLevel.Warning, "The campuses' settings could not be read from the registry; the ones read before stay in force, and the read is tried again")]
    public static partial void CampusRulesNotRead(ILogger logger, Exception exception);

    /// <summary>Times and days as logged values: ISO 8601, not the invariant culture's 11/30/2026.</summary>
    public static string Iso8601(DateTimeOffset instant) => instant.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso8601(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
