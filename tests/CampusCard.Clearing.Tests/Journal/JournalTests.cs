using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Npgsql;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>What only the PostgreSQL journal does; what every provider does is in <see cref="JournalContract"/>.</summary>
public class JournalTests : StoreTestBase
{
    [Fact]
    public async Task Truncate_does_not_empty_the_journal()
    {
        // SQL Server's TRUNCATE fires no trigger: there the service login lacks ALTER on the table (docs/sqlserver.md).
        await OpenHolderAsync(purseFen: 100);

        var e = await Assert.ThrowsAsync<PostgresException>(() => Database.ExecuteAsync("TRUNCATE transactions CASCADE"));

        Assert.Contains("append-only", e.MessageText);
        Assert.Equal(2L, await Database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    [Fact]
    public async Task The_journal_finds_the_requests_of_every_kind_that_acts_on_an_original_by_one_index()
    {
        var definition = await Database.ScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE indexname = 'transactions_acting_on_originals'");
        var kinds = Domain.Kinds.All.Where(k => k.ActsOnOriginal).Select(k => (short)k.Kind).Order();

        Assert.EndsWith($"WHERE (kind = ANY (ARRAY[{string.Join(", ", kinds.Select(k => $"{k}"))}]))", definition);
    }
}
