using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Service;
using CampusCard.Clearing.LoadGen.Workload;
using Npgsql;

namespace CampusCard.Clearing.LoadGen.Baseline;

/// <summary>The workload straight against PostgreSQL in the classic design (schema baseline in the journal's database).</summary>
public sealed class BaselineDriver : ILoadDriver, IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly LunchPeak _workload;
    private readonly string[] _merchantIds;
    private readonly long[] _targets;
    private readonly BaselineLedger _ledger;
    private readonly string _run = RequestIds.RunTag('C', DateTimeOffset.UtcNow);

    private BaselineDriver(NpgsqlDataSource database, LunchPeak workload, long[] targets, LoadOptions options)
    {
        _targets = targets;
        _database = database;
        _workload = workload;
        _merchantIds = Enumerable.Range(0, options.Merchants).Select(ServiceSetup.MerchantId).ToArray();
        _ledger = new BaselineLedger(options.Terminals, options.Accounts);
    }

    public LoadMode Mode => LoadMode.Baseline;

    /// <summary>Creates the schema when missing and resets it to the seeded state: purse i+1 holds targets[i], as the service's account i does.</summary>
    public static async Task<BaselineDriver> PrepareAsync(LoadOptions options, LunchPeak workload, long[] targets, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(options.Journal);
        connection.MaxPoolSize = Math.Max(connection.MaxPoolSize, options.Terminals + 2);
        var database = NpgsqlDataSource.Create(connection);
        await using (var schema = database.CreateCommand(Sql("schema.sql")))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var seed = database.CreateCommand(Sql("seed.sql")))
        {
            seed.Parameters.AddWithValue("balances", targets);
            seed.Parameters.AddWithValue("merchants", options.Merchants);
            await seed.ExecuteNonQueryAsync(cancellationToken);
        }
        Console.WriteLine($"baseline: schema ready; {options.Accounts} purses of {options.BalanceFen}..{targets.Max()} fen and {options.Merchants} canteens seeded");
        return new BaselineDriver(database, workload, targets, options);
    }

    public Task RunTerminalAsync(int terminal, TerminalStats stats, MeasurementWindow window)
        => new BaselineTerminal(terminal, _database, _merchantIds, _workload, _ledger, stats, window, _run, historyCapacity: 1_024).RunAsync();

    public Task<Verification> VerifyAsync(CancellationToken cancellationToken) => BaselineVerifier.VerifyAsync(_database, _ledger, _targets, cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static string Sql(string name)
    {
        using var stream = typeof(BaselineDriver).Assembly.GetManifestResourceStream($"Baseline.{name}")
            ?? throw new InvalidOperationException($"embedded resource Baseline.{name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
