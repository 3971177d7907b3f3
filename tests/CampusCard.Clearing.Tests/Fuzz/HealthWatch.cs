using System.Diagnostics;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CampusCard.Clearing.Tests.Fuzz;

/// <summary>Asks grpc.health.v1.Health/Check every 200 ms on a channel of its own while a run lasts: the service must keep serving.</summary>
public sealed class HealthWatch : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _checks;
    private long _failures;
    private long _slowestMs;
    private string? _firstFailure;

    public HealthWatch(string address)
    {
        _channel = GrpcChannel.ForAddress(address);
        _loop = Task.Run(LoopAsync);
    }

    public long Checks => Interlocked.Read(ref _checks);
    public long Failures => Interlocked.Read(ref _failures);
    public string? FirstFailure => _firstFailure;
    public string Summary => $"health: {Checks:N0} checks during the run, {Failures:N0} not answered SERVING within 5 s, slowest answer {Interlocked.Read(ref _slowestMs):N0} ms"
        + (_firstFailure is null ? "" : $" (first failure: {_firstFailure})");

    /// <summary>One check now, counted like the others; true when SERVING came back within 5 s.</summary>
    public async Task<bool> CheckAsync()
    {
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _checks);
        try
        {
            var reply = await new Health.HealthClient(_channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            InterlockedMax(ref _slowestMs, ms);
            if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return true;
            Fail($"status {reply.Status}");
        }
        catch (Exception e)
        {
            Fail($"{e.GetType().Name}: {e.Message}");
        }
        return false;
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref _failures);
        Interlocked.CompareExchange(ref _firstFailure, why, null);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await CheckAsync();
            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _channel.Dispose();
        _stop.Dispose();
    }
}
