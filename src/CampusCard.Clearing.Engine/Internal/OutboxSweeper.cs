using System.Collections.Concurrent;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Acknowledges journaled batches when no decide carries the acknowledgement, and journals what a crashed
/// instance or a lost connection left in the outbox.
/// </summary>
internal sealed class OutboxSweeper(
    IHotStore hot, Recovery recovery, ConcurrentQueue<string> acks, EngineStatus status, EngineOptions options,
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
                var ids = new List<string>();
                while (acks.TryDequeue(out var id)) ids.Add(id);
                await hot.AcknowledgeAsync(ids);
                await recovery.DrainOutboxAsync(options.OutboxSweepAge, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (JournalConflictException)
            {
                await recovery.RecoverAsync(stopping);
            }
            catch (Exception e)
            {
                Log.SweepFailed(logger, e);
            }
        }
    }
}
