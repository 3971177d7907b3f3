using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The engine's recovery, run by the host's repartition command on a hot state no instance uses: it journals what a hot
/// store's outboxes hold, as a start does before it rebuilds anything, and builds every partition of a hot store from the
/// journal, as a start does for a partition without state.
/// </summary>
public sealed class HotStateRebuild(IDecisionJournal journal, Directory directory, CampusRulesBook campuses, TimeProvider clock, IOptions<EngineOptions> options,
    ILogger<HotStateRebuild> logger)
{
    /// <summary>Journals what <paramref name="hot"/>'s outboxes hold (the previous release's and each partition's), retrying until it is done.</summary>
    public Task JournalOutboxesAsync(IHotStore hot, CancellationToken cancellationToken) => RecoveryOf(hot).DrainAllAsync(cancellationToken);

    /// <summary>Builds every partition of <paramref name="hot"/>, whose state was removed, from the journal (each holder's day spend of its campus's day).</summary>
    public async Task<HotStateRebuilt> RebuildAsync(IHotStore hot, CancellationToken cancellationToken)
    {
        await campuses.RefreshAsync(cancellationToken);
        return await RecoveryOf(hot).RecoverAllAsync(cancellationToken);
    }

    private Recovery RecoveryOf(IHotStore hot)
    {
        var engine = options.Value;
        var aged = new AgedRequests(journal, hot.IdempotencyWindow, engine, clock, logger);
        return new Recovery(hot, journal, aged, directory, new InFlightBatches(), engine, clock, campuses, logger, emptied: true);
    }
}

/// <summary>What a recovery rebuilt: how many partitions, with how many holders and recent transactions (those of the idempotency window).</summary>
public sealed record HotStateRebuilt(int Partitions, int Holders, int RecentTransactions);
