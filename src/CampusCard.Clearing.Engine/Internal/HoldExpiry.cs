using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine.Internal;

/// <summary>
/// Releases the holds nobody settled or released by their deadline (docs/invariants.md, invariant 8), through the
/// pipeline like any release, so it is journaled and closes the hold at most once. Its request id is named after the
/// hold's transaction: two instances releasing one hold make one release.
/// </summary>
internal sealed class HoldExpiry(
    IOperationReads journal, Func<IReadOnlyList<ClearingRequest>, IReadOnlyList<Task<ClearingAnswer>>> submit, EngineStatus status,
    EngineOptions options, CardRules cards, TimeProvider clock, ILogger logger)
{
    private const int Page = 500;

    public static string RequestIdOf(long holdTransactionId) => $"hold-expiry-{holdTransactionId}";

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HoldExpiryInterval, clock, stopping);
                if (status.IsReady) await ReleaseExpiredAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.HoldExpiryFailed(logger, e);
            }
        }
    }

    /// <summary>Releases every expired hold; returns how many it released.</summary>
    public async Task<int> ReleaseExpiredAsync(CancellationToken ct)
    {
        var released = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            // A hold lives at most MaxHoldLifetime; the look-back covers an engine that was down for as long again and more.
            var expired = await journal.ExpiredHoldsAsync(now - 4 * cards.MaxHoldLifetime - TimeSpan.FromDays(1), now, Page, ct);
            if (expired.Count == 0) break;
            var answers = submit([.. expired.Select(h => new ClearingRequest
            {
                Kind = TransactionKind.ReleaseHold,
                RequestId = RequestIdOf(h.TransactionId),
                Campus = h.Campus,
                CardNo = h.CardNo,
                OriginalRequestId = h.RequestId,
                Caller = Caller.System,
            })]);
            await Task.WhenAll(answers);
            released += expired.Count;
            if (expired.Count < Page) break;
        }
        if (released > 0) Log.HoldsExpired(logger, released);
        return released;
    }
}
