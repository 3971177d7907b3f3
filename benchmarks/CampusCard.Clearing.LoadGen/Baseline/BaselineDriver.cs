using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Service;
using CampusCard.Clearing.LoadGen.Workload;
using Npgsql;

namespace CampusCard.Clearing.LoadGen.Baseline;

/// <summary>The workload straight against PostgreSQL in a classic design (its own schema in the journal's database).</summary>
public sealed class BaselineDriver : ILoadDriver, IAsyncDisposable
{
    private readonly BaselineDesign _design;
    private readonly NpgsqlDataSource _database;
    private readonly LunchPeak _workload;
    private readonly string[] _merchantIds;
    private readonly long[] _targets;
    private readonly BaselineLedger _ledger;
    private readonly string _run;

    private BaselineDriver(BaselineDesign design, NpgsqlDataSource database, LunchPeak workload, long[] targets, LoadOptions options)
    {
        _design = design;
        _targets = targets;
        _database = database;
        _workload = workload;
        _merchantIds = Enumerable.Range(0, options.Merchants).Select(ServiceSetup.MerchantId).ToArray();
        _ledger = new BaselineLedger(options.Terminals, options.Accounts);
        _run = RequestIds.RunTag(design.RunLetter, DateTimeOffset.UtcNow);
    }

    public LoadMode Mode => _design.Mode;

    /// <summary>Creates the design's schema when missing and resets it to the seeded state: purse i+1 holds targets[i], as the service's account i does.</summary>
    public static async Task<BaselineDriver> PrepareAsync(BaselineDesign design, LoadOptions options, LunchPeak workload, long[] targets, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(options.Journal);
        connection.MaxPoolSize = Math.Max(connection.MaxPoolSize, options.Terminals + 2);
        var database = NpgsqlDataSource.Create(connection);
        await using (var schema = database.CreateCommand(design.Sql("schema")))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var seed = database.CreateCommand(design.Sql("seed")))
        {
            seed.Parameters.AddWithValue("balances", targets);
            seed.Parameters.AddWithValue("merchants", options.Merchants);
            await seed.ExecuteNonQueryAsync(cancellationToken);
        }
        Console.WriteLine($"{design.Mode.Name()}: schema {design.Schema} ready; {options.Accounts} purses of {options.BalanceFen}..{targets.Max()} fen and {options.Merchants} canteens seeded");
        return new BaselineDriver(design, database, workload, targets, options);
    }

    public Task RunTerminalAsync(int terminal, TerminalStats stats, MeasurementWindow window)
        => new BaselineTerminal(terminal, _design.Schema, _database, _merchantIds, _workload, _ledger, stats, window, _run, historyCapacity: 1_024).RunAsync();

    public Task<Verification> VerifyAsync(CancellationToken cancellationToken) => BaselineVerifier.VerifyAsync(_database, _design, _ledger, _targets, cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
