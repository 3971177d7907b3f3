using Grpc.Core;
using Grpc.Net.Client;
using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Workload;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// The workload against the clearing service, one Debit per call (unary) or DebitBatch calls (batch); terminal i calls over
/// connection i mod n, in its campus with that campus's tokens.
/// </summary>
public sealed class ServiceDriver(
    LoadMode mode, GrpcChannel[] channels, Credentials credentials, Population[] populations, LunchPeak workload, LoadOptions options) : ILoadDriver
{
    private readonly ServiceLedger _ledger = new(options.Terminals, options.Accounts, populations.Length);
    private readonly string _run = RequestIds.RunTag(mode == LoadMode.Batch ? 'B' : 'U', DateTimeOffset.UtcNow);

    public LoadMode Mode => mode;

    public Task RunTerminalAsync(int terminal, TerminalStats stats, MeasurementWindow window)
    {
        var history = Math.Max(1_024, 4 * options.BatchSize);
        var population = populations[workload.CampusOf(terminal)];
        var callers = credentials.At(population.Campus);
        var token = callers.Terminal(ServiceSetup.TerminalId(terminal), population.MerchantIds[workload.CanteenOf(terminal)]);
        var runner = new ServiceTerminal(terminal, channels[terminal % channels.Length], token, population, workload, _ledger, stats, window,
            _run, TimeSpan.FromSeconds(options.DeadlineSeconds), history, callers, options.Mix);
        return mode == LoadMode.Batch ? runner.RunBatchAsync(options.BatchSize) : runner.RunUnaryAsync();
    }

    public Task<Verification> VerifyAsync(CancellationToken cancellationToken) => JournalVerifier.VerifyAsync(_ledger, populations, workload, options, cancellationToken);
}
