using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Workload;
using Grpc.Net.Client;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// --mode offline: every terminal uploads offline records (<see cref="OfflineTerminal"/>) over connection i mod n, in its campus. The
/// run's sequence numbers start at its start time in milliseconds × 1,000, above any earlier run's against the same service.
/// </summary>
public sealed class OfflineDriver(GrpcChannel[] channels, Credentials credentials, Population[] populations, LunchPeak workload, LoadOptions options) : ILoadDriver
{
    private readonly OfflineLedger _ledger = new(options.Terminals, options.Accounts, populations.Length, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000);

    public LoadMode Mode => LoadMode.Offline;

    public Task RunTerminalAsync(int terminal, TerminalStats stats, MeasurementWindow window)
    {
        var population = populations[workload.CampusOf(terminal)];
        var token = credentials.At(population.Campus).Terminal(ServiceSetup.TerminalId(terminal), population.MerchantIds[workload.CanteenOf(terminal)]);
        var uploader = new OfflineTerminal(terminal, channels[terminal % channels.Length], token, population, workload, _ledger, stats, window,
            options.RetryPercent / 100, TimeSpan.FromSeconds(options.DeadlineSeconds));
        return uploader.RunAsync();
    }

    public Task<Verification> VerifyAsync(CancellationToken cancellationToken) => OfflineVerifier.VerifyAsync(_ledger, populations, options, cancellationToken);
}
