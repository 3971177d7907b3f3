using CampusCard.Clearing.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>Checks the hot state against the journal every <see cref="FinanceOptions.HotStateCheckInterval"/>.</summary>
internal sealed class ReconciliationSchedule(Reconciliation reconciliation, IOptions<FinanceOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => reconciliation.RunScheduleAsync(options.Value.HotStateCheckInterval, stoppingToken);
}
