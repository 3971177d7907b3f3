using CampusCard.Clearing.Engine;
using Microsoft.Extensions.Hosting;

namespace CampusCard.Clearing.Host.Internal;

/// <summary>Runs the day before's settlement after its cut-off (<see cref="Settlements.RunScheduleAsync"/>).</summary>
internal sealed class SettlementSchedule(Settlements settlements) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => settlements.RunScheduleAsync(stoppingToken);
}
