using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>Journals written before a migration keep their meaning after it.</summary>
public class MigrationTests : IAsyncLifetime
{
    private ScratchDatabase _database = null!;
    private PostgresMigrator _migrator = null!;

    public async Task InitializeAsync()
    {
        _database = await ScratchDatabase.CreateAsync(migrate: false);
        _migrator = new PostgresMigrator(_database.DataSource, BusinessCalendar.ChinaStandardTime, NullLogger<PostgresMigrator>.Instance);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Postings_rows_become_the_legs_of_their_transactions()
    {
        await _migrator.MigrateAsync(throughVersion: 3);
        await StoreVersion3JournalAsync("""
            INSERT INTO postings VALUES (1, 5, 1, -5000), (1, 1, 1, 5000), (2, 1, 1, -1200), (2, 4, 1, 1200);
            """);

        await _migrator.MigrateAsync();

        Assert.Equal(
            [(1L, 5, 1L, -5000L), (1, 1, 1, 5000), (2, 1, 1, -1200), (2, 4, 1, 1200)],
            await PostingsAsync());
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT sum(balance_fen)::bigint FROM trial_balance"));
    }

    [Fact]
    public async Task A_transaction_that_is_not_one_amount_between_two_accounts_stops_the_migration()
    {
        await _migrator.MigrateAsync(throughVersion: 3);
        await StoreVersion3JournalAsync("""
            INSERT INTO postings VALUES (1, 5, 1, -5000), (1, 1, 1, 4000), (1, 5, 3, 1000), (2, 1, 1, -1200), (2, 4, 1, 1200);
            """);

        var e = await Assert.ThrowsAsync<PostgresException>(() => _migrator.MigrateAsync());

        Assert.Contains("transaction 1 is not one amount moved between two accounts", e.MessageText);
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT max(version)::bigint FROM schema_migrations"));
        Assert.Equal(5L, await _database.ScalarAsync<long>("SELECT count(*) FROM postings"));
    }

    /// <summary>A holder topped up by 5,000 (transaction 1), a debit of 1,200 (2) and a decline (3), with the given postings.</summary>
    private Task StoreVersion3JournalAsync(string postings) => _database.ExecuteAsync($"""
        INSERT INTO holders (person_no, name, card_type, opened_at) VALUES ('S1', 'Li Lei', 2, now());
        INSERT INTO merchants (merchant_id, name, category, opened_at) VALUES ('canteen-1', 'No. 1 Canteen', 1, now());
        INSERT INTO accounts (kind, owner, name) VALUES (1, 1, 'purse S1'), (4, 1, 'canteen-1');
        INSERT INTO transactions VALUES
            (1, 1, 'top-up', 4, 1, 0, 0, 5000, 5000, 5000, 0, 0, 11, 0, '', '', 0, '', 1, 0, '', '', 20600, now()),
            (2, 1, 'swipe-1', 1, 1, 0, 0, 1200, 1200, 3800, 0, 0, 12, 0, 'pos-1', 'canteen-1', 1, '', 0, 0, '', '', 20600, now()),
            (3, 1, 'swipe-2', 1, 2, 1, 0, 9900, 0, 3800, 0, 0, 13, 0, 'pos-1', 'canteen-1', 1, '', 0, 0, '', '', 20600, now());
        {postings}
        """);

    private async Task<List<(long, int, long, long)>> PostingsAsync()
    {
        await using var cmd = _database.DataSource.CreateCommand(
            "SELECT transaction_id, account_kind, account_owner, amount_fen FROM postings ORDER BY transaction_id, amount_fen");
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(long, int, long, long)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetInt16(1), reader.GetInt64(2), reader.GetInt64(3)));
        return rows;
    }
}
