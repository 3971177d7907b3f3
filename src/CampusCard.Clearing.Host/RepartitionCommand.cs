using System.CommandLine;
using System.Data.Common;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Engine.Placement;
using CampusCard.Clearing.Host.Configuration;
using CampusCard.Clearing.HotStore;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CampusCard.Clearing.Host;

/// <summary>
/// <c>repartition</c>: the hot state's number of partitions becomes HotStore:Partitions, over the journal databases
/// configured (docs/operations.md). With every service instance stopped (it refuses otherwise), it removes the old
/// partitions' sequences so nothing more is decided in them, journals what their outboxes hold, deletes their keys, stores
/// the new layout and builds every partition from the journal, by the engine's own recovery. The next start finds the hot
/// state level and logs the repartition once.
/// </summary>
internal static class RepartitionCommand
{
    /// <summary>The hot state is in use (a service instance, another repartition): nothing was changed.</summary>
    public const int InUse = 1;

    /// <summary>Redis or the journal could not be reached, or the command was stopped: a start recovers what it left; run it again.</summary>
    public const int Unfinished = 5;

    public static Command Create()
    {
        var command = new Command("repartition",
            "rebuild the hot state from the journal under HotStore:Partitions (the count it was made with is stored in Redis); "
            + "stop every service instance first. Exit 0 done (or nothing to do), 1 the hot state is in use (nothing changed), "
            + "2 bad settings, 5 Redis or the journal failed on the way (run it again)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((result, ct) => HostCommands.WithSettingsAsync(() =>
            RunAsync(() => ClearingApp.Build([.. result.UnmatchedTokens], LogsToStandardError), ct)));
        return command;
    }

    /// <summary>The engine's progress goes to standard error; standard output has the result alone.</summary>
    private static void LogsToStandardError(WebApplicationBuilder builder) =>
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

    /// <param name="build">Builds the service (it connects to Redis), or throws <see cref="ConfigurationException"/> for bad settings.</param>
    private static async Task<int> RunAsync(Func<WebApplication> build, CancellationToken ct)
    {
        try
        {
            // Disposed at the end: its logs are written out before the process exits.
            await using var app = build();
            var services = app.Services;
            var repartition = new RedisRepartition(services.GetRequiredService<ConnectionMultiplexer>(), services.GetRequiredService<IOptions<HotStoreOptions>>(),
                services.GetRequiredService<JournalPlacement>());
            var to = repartition.Target.Layout;
            var where = $"the hot state under '{repartition.KeyPrefix}'";
            switch (await repartition.StoredLayoutAsync())
            {
                case null:
                    Console.WriteLine($"{where} holds no partition count: no service started on it yet; the first start makes it with {to}");
                    return 0;
                case { } same when same == to && await repartition.BuiltAsync():
                    Console.WriteLine($"{where} has {to} already: nothing to do");
                    return 0;
                case { } from when from == to:
                    var finished = await HeldAsync(repartition, from, held => FinishAsync(services, repartition, held), ct);
                    Console.WriteLine($"finished the repartition of {where} to {to}, which had stopped half-way: built {finished.Partitions} partitions, {finished.Holders} holders and {finished.RecentTransactions} recent transactions from the journal");
                    return 0;
                case { } from:
                    var rebuilt = await HeldAsync(repartition, from, held => RepartitionAsync(services, repartition, from, held), ct);
                    Console.WriteLine($"repartitioned {where} {HotStateLayout.Change(from, to)}: built {rebuilt.Holders} holders and {rebuilt.RecentTransactions} recent transactions from the journal");
                    return 0;
            }
        }
        catch (HotStateInUseException e)
        {
            Console.Error.WriteLine($"repartition refused: {e.Message}; nothing was changed");
            return InUse;
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or DbException or OperationCanceledException)
        {
            Console.Error.WriteLine($"repartition not finished: {Why(e)}; run it again (a start recovers whatever it did)");
            return Unfinished;
        }
    }

    /// <summary>Why it stopped, in a line that names the setting to look at and no secret of a connection string.</summary>
    private static string Why(Exception e) => e switch
    {
        RedisException or RedisTimeoutException => "Redis did not answer (ConnectionStrings__Redis)",
        DbException => $"the journal did not answer (ConnectionStrings__Journal): {e.Message}",
        _ => e.Message,
    };

    /// <summary>The steps once the hot state is held; each is safe to stop after (<see cref="RedisRepartition"/>).</summary>
    private static async Task<HotStateRebuilt> RepartitionAsync(IServiceProvider services, RedisRepartition repartition, HotStateLayout from, CancellationToken ct)
    {
        var rebuild = await RebuildOfAsync(services, ct);
        var stored = repartition.Stored(from);
        await repartition.CloseAsync(stored);
        await rebuild.JournalOutboxesAsync(stored, ct);
        await repartition.DeletePartitionsAsync();
        await repartition.StoreLayoutAsync(from, services.GetRequiredService<TimeProvider>().GetLocalNow());
        return await rebuild.RebuildAsync(repartition.Target, ct);
    }

    /// <summary>
    /// A repartition stopped after it stored the new layout: the partitions it had not built yet (they have no sequence)
    /// are built from the journal, as a start would; those it built are left as they are.
    /// </summary>
    private static async Task<HotStateRebuilt> FinishAsync(IServiceProvider services, RedisRepartition repartition, CancellationToken ct) =>
        await (await RebuildOfAsync(services, ct)).RebuildAsync(repartition.Target, ct);

    /// <summary>The engine's recovery on journal databases whose schema is the one the rebuild reads and whose campuses are known, as at a start.</summary>
    private static async Task<HotStateRebuild> RebuildOfAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<JournalDatabases>().PrepareAsync(services.GetRequiredService<IOptions<JournalOptions>>().Value.MigrateOnStart, ct);
        return ActivatorUtilities.CreateInstance<HotStateRebuild>(services);
    }

    /// <summary>Takes the hot state and runs <paramref name="work"/> while keeping the hold on it, then lets it go; a hold that lapses stops it.</summary>
    private static async Task<T> HeldAsync<T>(RedisRepartition repartition, HotStateLayout from, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        await repartition.BeginAsync(from);
        using var held = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var done = new CancellationTokenSource();
        var keeping = KeepAsync(repartition, held, done.Token);
        try
        {
            return await work(held.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the hold on the hot state lapsed: the command stood still, or lost Redis, for longer than it lasts");
        }
        finally
        {
            await done.CancelAsync();
            await keeping;
            await repartition.EndAsync();
        }
    }

    private static async Task KeepAsync(RedisRepartition repartition, CancellationTokenSource held, CancellationToken done)
    {
        while (!done.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RedisRepartition.RenewalInterval, done);
                if (await repartition.RenewAsync()) continue;
                await held.CancelAsync();
                return;
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // Tried again at the next interval; the work itself fails meanwhile if Redis stays away.
            }
        }
    }
}
