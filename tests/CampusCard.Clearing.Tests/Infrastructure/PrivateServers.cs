using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// A Redis and a PostgreSQL of their own, started by scripts/services.sh on free ports with a data folder of their own,
/// for the tests that stall them (SIGSTOP): the servers every other test shares are never touched. Stops them and
/// deletes the folder afterwards.
/// </summary>
public sealed class PrivateServers : IAsyncLifetime
{
    public int RedisPort { get; } = LoopbackPorts.Free();
    public int PgPort { get; } = LoopbackPorts.Free();

    /// <summary>Under the test environment's folder (.local/test), where PostgreSQL's own user may reach it.</summary>
    public string Folder { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("CC_LOCAL") is { Length: > 0 } local ? local : Path.Combine(ExternalClient.RepositoryRoot, ".local", "test"),
        $"private-{Guid.NewGuid():N}"[..16]);

    public string RedisConnectionString => $"127.0.0.1:{RedisPort},abortConnect=false";

    /// <summary>The database server's own database, where scratch databases are created.</summary>
    public string PgServerConnectionString => $"Host=127.0.0.1;Port={PgPort};Username=postgres;Database=campuscard;No Reset On Close=true";

    public Task InitializeAsync() => ServicesAsync("start");

    public async Task DisposeAsync()
    {
        await ContinueAsync(StalledServer.Redis);
        await ContinueAsync(StalledServer.Postgres);
        await ServicesAsync("stop");
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Stops the server's processes (PostgreSQL: the postmaster first, so it forks no new backend, then every child of it).</summary>
    public Task StopAsync(StalledServer server) => SignalAsync(server, Signals.Stop);

    /// <summary>Lets the server's processes run again.</summary>
    public Task ContinueAsync(StalledServer server) => SignalAsync(server, Signals.Continue);

    private async Task SignalAsync(StalledServer server, int signal)
    {
        var main = await MainPidAsync(server);
        if (main is null) return;
        Signals.Send(main.Value, signal);
        if (server == StalledServer.Postgres)
            foreach (var child in ChildrenOf(main.Value)) Signals.Send(child, signal);
    }

    /// <summary>The pid the server wrote into its data folder: only this fixture's servers are ever signalled.</summary>
    private async Task<int?> MainPidAsync(StalledServer server)
    {
        var file = server == StalledServer.Redis ? Path.Combine(Folder, "redis", "redis.pid") : Path.Combine(Folder, "pg", "postmaster.pid");
        if (!File.Exists(file)) return null;
        var first = (await File.ReadAllLinesAsync(file)).FirstOrDefault();
        return int.TryParse(first, out var pid) ? pid : null;
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            // pid (comm) state ppid …: the command may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1]) == parent) yield return pid;
        }
    }

    private Task ServicesAsync(string command) =>
        ExternalClient.RunAsync("bash", [Path.Combine(ExternalClient.RepositoryRoot, "scripts", "services.sh"), command], environment: new Dictionary<string, string>
        {
            ["CC_ENV"] = "test", ["CC_LOCAL"] = Folder, ["CC_REDIS_PORT"] = $"{RedisPort}", ["CC_PG_PORT"] = $"{PgPort}",
        }, timeoutSeconds: 300);

}

public enum StalledServer { Redis, Postgres }
