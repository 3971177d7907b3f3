using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Engine.Placement;
using Grpc.HealthCheck;
using CampusCard.Clearing.Host.Configuration;
using CampusCard.Clearing.Journal;
using Microsoft.Extensions.Options;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace CampusCard.Clearing.Host;

/// <summary>
/// Migrates the journal's databases and checks each is the one configured, recovers and starts the engine in the
/// background (Health says NOT_SERVING until then, and calls get UNAVAILABLE), and stops it so every decided batch
/// reaches the journal.
/// The engine stops first, before Kestrel drains its requests: the callers waiting in the engine are
/// answered (or told UNAVAILABLE) instead of holding the server's shutdown open.
/// </summary>
internal sealed class EngineHostedService(
    ClearingEngine engine, JournalDatabases databases, HealthServiceImpl health, IOptions<JournalOptions> journal, IHostApplicationLifetime lifetime,
    ILogger<EngineHostedService> logger)
    : IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Report(EngineState.Starting);
        engine.StateChanged += Report;
        engine.Halted += Refuse;
        _starting = Task.Run(() => StartEngineAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StartEngineAsync(CancellationToken ct)
    {
        // A database that cannot be reached yet is waited for; one that is not the database configured stops the start.
        for (var attempt = 1; ; attempt++)
        {
            try { await databases.PrepareAsync(journal.Value.MigrateOnStart, ct); break; }
            catch (JournalPlacementException e)
            {
                Misconfigured(e);
                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Log.MigrationFailed(logger, e, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), ct);
            }
        }
        try
        {
            await engine.StartAsync(ct);
        }
        catch (UnsafeHotStoreException e)
        {
            Refuse(e);
        }
    }

    /// <summary>The service stops, exit code 2, with one line on standard error as for a bad setting: the journal's databases are not the ones configured.</summary>
    private void Misconfigured(JournalPlacementException reason)
    {
        Console.Error.WriteLine($"configuration error: {reason.Message}");
        Log.Misconfigured(logger, reason.Message);
        Environment.ExitCode = HostCommands.BadSettings;
        lifetime.StopApplication();
    }

    /// <summary>The service stops, exit code 3, with one line saying why: it does not start, or go on, on this hot store.</summary>
    private void Refuse(UnsafeHotStoreException reason)
    {
        Log.UnsafeHotStore(logger, reason.Message);
        Environment.ExitCode = 3;
        lifetime.StopApplication();
    }

    private void Report(EngineState state)
    {
        var status = state == EngineState.Ready ? ServingStatus.Serving : ServingStatus.NotServing;
        health.SetStatus("", status);
        foreach (var name in ClearingApp.ServiceNames) health.SetStatus(name, status);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try { await _starting; } catch (OperationCanceledException) { }
        await engine.DisposeAsync();
        Report(EngineState.Stopped);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
