using System.Diagnostics;
using System.Globalization;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CampusCard.Clearing.Benchmarks.Rebuild;

/// <summary>
/// The timing scripts/bench-rebuild.sh runs: one partition's rebuild as recovery does it (Engine's Recovery): the journal's
/// snapshot of the partition, then the hot store's restore of it into Redis, under a key prefix of its own that it removes
/// afterwards. The journal is the database ConnectionStrings__Journal names; <c>migrate</c> makes its schema.
/// </summary>
/// <example>
/// rebuild-partition migrate
/// rebuild-partition PARTITIONS PARTITION [RUNS]    one line per run: partitions, partition, holders, cards, records and seconds
/// </example>
internal static class RebuildPartition
{
    public static async Task<int> RunAsync(string[] args)
    {
        await using var dataSource = NpgsqlDataSource.Create(LocalServers.JournalConnectionString);
        if (args is ["migrate"])
        {
            await new PostgresMigrator(dataSource, BusinessCalendar.ChinaStandardTime, NullLogger<PostgresMigrator>.Instance).MigrateAsync();
            return 0;
        }
        if (args.Length is < 2 or > 3 || !int.TryParse(args[0], out var count) || !Partitioning.IsValidCount(count)
            || !int.TryParse(args[1], out var partition) || partition < 0 || partition >= count)
        {
            Console.Error.WriteLine($"usage: rebuild-partition migrate | rebuild-partition PARTITIONS PARTITION [RUNS] (PARTITIONS a power of two to {Partitioning.MaxCount}, PARTITION below it)");
            return 2;
        }
        var runs = args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var journal = new PostgresJournal(dataSource, NullLogger<PostgresJournal>.Instance);
        var prefix = LocalServers.NewKeyPrefix();
        var hot = LocalServers.HotStore(prefix, count);
        try
        {
            await hot.CheckConfigurationAsync();
            for (var run = 1; run <= runs; run++)
            {
                var now = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                var mark = await hot.BeginRebuildAsync(partition);
                var snapshot = await journal.SnapshotAsync(hot.Partitions, partition, now, BusinessDays.Everywhere(BusinessCalendar.ChinaStandardTime.DayNumber(now)), hot.IdempotencyWindow, default);
                var read = clock.Elapsed;
                await hot.RestoreAsync(partition, mark, snapshot);
                var total = clock.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run={run} partitions={count} partition={partition} holders={snapshot.Holders.Count} cards={snapshot.Cards.Count} records={snapshot.RecentEntries.Count} snapshot_s={read.TotalSeconds:F3} restore_s={(total - read).TotalSeconds:F3} total_s={total.TotalSeconds:F3}"));
            }
        }
        finally
        {
            await LocalServers.DeleteKeysAsync(prefix);
        }
        return 0;
    }
}
