using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Keeps this instance's mark in the hot store while the engine runs (the repartition command refuses to run under it),
/// every third of its lifetime by the wall clock, which is what the hot store's expiry counts. A mark that lapsed is taken
/// again unless the hot state was repartitioned meanwhile: then the engine must stop, and <paramref name="halt"/> is told.
/// </summary>
internal sealed class PresenceRenewal(IHotStore hot, Action<UnsafeHotStoreException> halt, ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(hot.PresenceLifetime / 3, TimeProvider.System, stopping);
                await hot.RenewPresenceAsync();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (UnsafeHotStoreException e)
            {
                halt(e);
                return;
            }
            catch (Exception e)
            {
                // The hot store is out of reach: deciding fails and says so; the mark is renewed, or taken again, once it is back.
                Log.PresenceNotRenewed(logger, e);
            }
        }
    }
}
