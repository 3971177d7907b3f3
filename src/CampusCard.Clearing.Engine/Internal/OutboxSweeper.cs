using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Acknowledges journaled batches when no decide of their partition carries the acknowledgement, and journals what a
/// crashed instance or a lost connection left in the partitions' outboxes (any instance sweeps every partition; a
/// batch journaled twice is stored once).
/// </summary>
internal sealed class OutboxSweeper(
    IHotStore hot, Recovery recovery, OutboxAcks acks, EngineStatus status, EngineOptions options,
    TimeProvider clock, ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.OutboxSweepInterval, clock, stopping);
                if (!status.IsReady) continue;
                foreach (var partition in hot.Partitions.All) await SweepAsync(partition, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SweepAsync(int partition, CancellationToken stopping)
    {
        if (recovery.IsRecovering(partition)) return;
        var journaled = acks.Take(partition, int.MaxValue);
        try
        {
            await hot.AcknowledgeAsync(partition, journaled);
            // A batch the journal refused was decided on lost state: the partition is rebuilt.
            if (await recovery.DrainOutboxAsync(partition, options.OutboxSweepAge, stopping)) recovery.Request(partition, Loss.Found, stopping);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            acks.Return(partition, journaled);
            Log.SweepFailed(logger, e, partition);
        }
    }
}
