using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.LoadGen.Workload;
using Grpc.Core;
using Grpc.Net.Client;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// Card-status feed subscribers (--watchers) during a service mode, spread over the run's connections with the
/// terminals' tokens (so over their campuses), and in each campus a card office that freezes and unfreezes one of the
/// coldest cards every half second, so the feed has changes to send to every subscriber while the terminals debit.
/// </summary>
public sealed class StatusFeedLoad : IAsyncDisposable
{
    private const int ColdCards = 50;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private long _changes;
    private long _errors;

    public long Changes => Interlocked.Read(ref _changes);

    public long Errors => Interlocked.Read(ref _errors);

    public static StatusFeedLoad? Start(GrpcChannel[] channels, Credentials credentials, Population[] populations, LunchPeak workload, LoadOptions options)
    {
        if (options.Watchers == 0) return null;
        var load = new StatusFeedLoad();
        for (var w = 0; w < options.Watchers; w++)
        {
            var terminal = w % options.Terminals;
            var population = populations[workload.CampusOf(terminal)];
            var token = credentials.At(population.Campus).Terminal(ServiceSetup.TerminalId(terminal), population.MerchantIds[workload.CanteenOf(terminal)]);
            load._running.Add(load.WatchAsync(channels[w % channels.Length], token));
        }
        foreach (var population in populations) load._running.Add(load.ChurnAsync(channels[0], credentials.At(population.Campus).Office(), population));
        return load;
    }

    private async Task WatchAsync(GrpcChannel channel, Metadata token)
    {
        try
        {
            using var call = new Terminal.TerminalClient(channel).WatchCardStatus(new WatchCardStatusRequest(), new CallOptions(token, cancellationToken: _stop.Token));
            while (await call.ResponseStream.MoveNext(_stop.Token)) Interlocked.Increment(ref _changes);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException && _stop.IsCancellationRequested)
        {
        }
        catch (RpcException)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    private async Task ChurnAsync(GrpcChannel channel, Metadata office, Population population)
    {
        var cards = new Cards.CardsClient(channel);
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var personNo = population.PersonNos[^(1 + n / 2 % ColdCards)];
            try
            {
                if (n % 2 == 0)
                    await cards.FreezeAsync(new FreezeRequest { RequestId = $"churn-{run}-{n}", PersonNo = personNo, Reason = FreezeReason.Admin }, new CallOptions(office));
                else
                    await cards.UnfreezeAsync(new UnfreezeRequest { RequestId = $"churn-{run}-{n}", PersonNo = personNo }, new CallOptions(office));
                await Task.Delay(250, _stop.Token);
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException && _stop.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
    }
}
