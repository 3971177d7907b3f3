using System.Runtime.CompilerServices;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The auto top-up requests (自动转账) the bank gateway funds: each opened by a decision that left a purse below its
/// cardholder's threshold, read from the journal up to <see cref="ClearingEngine.JournaledThroughAsync"/>, so ids only
/// increase and a gateway that resumes from its last id misses none. Gateways are few: each stream reads on its own.
/// </summary>
public sealed class AutoTopUps(ClearingEngine engine, IOperationReads journal, IOptions<EngineOptions> options, TimeProvider clock)
{
    private const int Page = 1000;

    /// <summary>The campus's requests opened after <paramref name="sinceId"/> that are still open, then each new one.</summary>
    public async IAsyncEnumerable<AutoTopUpRequest> WatchAsync(short campus, long sinceId, [EnumeratorCancellation] CancellationToken ct)
    {
        var after = sinceId;
        while (!ct.IsCancellationRequested)
        {
            var through = await engine.JournaledThroughAsync();
            var requests = await journal.OpenAutoTopUpsAsync(after, through, clock.GetUtcNow(), Page, ct);
            foreach (var request in requests.Where(r => r.Campus == campus)) yield return request;
            // A full page may stop short of the watermark (an expired or answered request is skipped, not counted).
            after = requests.Count == Page ? requests[^1].Id : Math.Max(after, through);
            if (requests.Count < Page) await Task.Delay(options.Value.AutoTopUpInterval, clock, ct);
        }
    }
}
