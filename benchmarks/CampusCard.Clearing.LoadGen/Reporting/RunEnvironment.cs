using CampusCard.Clearing.LoadGen.Service;
using CampusCard.Clearing.LoadGen.Workload;
using Npgsql;
using StackExchange.Redis;

namespace CampusCard.Clearing.LoadGen.Reporting;

/// <summary>
/// What a reader needs to judge the numbers: the machine, the configuration under load (Redis masters and replicas as
/// Redis reports them; instances and partitions in <see cref="Options"/>), the journal's durability settings, and how skewed the load was.
/// </summary>
/// <param name="TerminalsPerCanteen">Each canteen's terminals, most first: a terminal debits only at its canteen.</param>
public sealed record RunEnvironment(
    DateTimeOffset StartedAt, int ProcessorCount, int RedisMasters, int RedisReplicas, string SynchronousCommit, string Fsync,
    double HottestCardShare, double HottestCanteenShare, IReadOnlyDictionary<string, int> TerminalsPerCanteen, LoadOptions Options)
{
    public static async Task<RunEnvironment> ReadAsync(DateTimeOffset startedAt, LoadOptions options, LunchPeak workload, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(options.Journal);
        await using var command = database.CreateCommand("SELECT current_setting('synchronous_commit'), current_setting('fsync')");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        // Reports are shared: they carry the connection settings without passwords.
        var redis = ConfigurationOptions.Parse(options.Redis);
        redis.AbortOnConnectFail = false;
        using var nodes = await ConnectionMultiplexer.ConnectAsync(redis);
        var servers = nodes.GetServers().Where(s => s.IsConnected).ToList();
        var shareable = options with
        {
            Journal = new NpgsqlConnectionStringBuilder(options.Journal) { Password = null }.ToString(),
            Redis = redis.ToString(includePassword: string.IsNullOrEmpty(redis.Password)),
        };
        var terminals = workload.TerminalsPerCanteen()
            .Select((count, canteen) => (Canteen: ServiceSetup.MerchantId(canteen), Count: count))
            .OrderByDescending(c => c.Count)
            .ToDictionary(c => c.Canteen, c => c.Count);
        return new RunEnvironment(startedAt, Environment.ProcessorCount, servers.Count(s => !s.IsReplica), servers.Count(s => s.IsReplica), reader.GetString(0), reader.GetString(1),
            Math.Round(workload.Cards.TopShare, 4), Math.Round(workload.Canteens.TopShare, 4), terminals, shareable);
    }
}
