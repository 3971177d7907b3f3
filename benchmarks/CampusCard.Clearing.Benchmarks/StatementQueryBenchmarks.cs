using System.Globalization;
using BenchmarkDotNet.Attributes;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CampusCard.Clearing.Benchmarks;

/// <summary>
/// A cardholder's statement page and monthly bill on a journal of many rows (10 million unless CC_STATEMENT_ROWS says
/// otherwise): 40,000 cardholders' debits at 8 canteens over 180 business days, inserted in SQL by the setup (minutes).
/// The queries use the account legs' indexes of migration 004; no index is added for them.
/// </summary>
public class StatementQueryBenchmarks
{
    private const int Holders = 40_000;
    private const int Days = 180;

    private static readonly long Rows = long.Parse(Environment.GetEnvironmentVariable("CC_STATEMENT_ROWS") ?? "10000000", CultureInfo.InvariantCulture);
    private static readonly int LastDay = BusinessCalendar.ChinaStandardTime.DayNumber(DateTimeOffset.UtcNow);

    private ScratchDatabase _database = null!;
    private PostgresJournal _journal = null!;
    private long _holder;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await ScratchDatabase.CreateAsync();
        await using var cmd = _database.DataSource.CreateCommand($"""
            INSERT INTO holders (person_no, name, card_type, opened_at) SELECT 'S' || i, 'student ' || i, 2, now() FROM generate_series(1, {Holders}) i;
            INSERT INTO accounts (kind, owner, name) SELECT k, h.id, h.person_no FROM holders h, (VALUES (1), (2), (3), (6)) a (k);
            INSERT INTO merchants (merchant_id, name, category, opened_at) SELECT 'CANTEEN-' || i, 'canteen ' || i, 1, now() FROM generate_series(1, 8) i;
            INSERT INTO accounts (kind, owner, name) SELECT 4, no, merchant_id FROM merchants;
            INSERT INTO transactions (id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen,
                                      pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source, direction,
                                      channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner)
            SELECT i, h, 'p:S' || h, 'r' || i, 1, 1, 0, 0, 850, 850, 100000, 0, 0, i, 'T1', 'CANTEEN-' || m, m, '', 0, 0, '', '',
                   {LastDay} - d, to_timestamp(({LastDay} - d) * 86400.0 + 14400 + (i % 36000)), 1, h, 4, m
              FROM (SELECT i, 1 + (i % {Holders}) AS h, 1 + (i % 8) AS m, (i / ({Rows} / {Days} + 1))::integer AS d FROM generate_series(1, {Rows}) i) g;
            ANALYZE transactions;
            """);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
        _journal = new PostgresJournal(_database.DataSource, NullLogger<PostgresJournal>.Instance);
        _holder = Holders / 2;
    }

    [Benchmark]
    public Task<IReadOnlyList<StatementLine>> StatementPageOfThirtyDays() =>
        _journal.StatementAsync(new HolderDays(_holder, LastDay - 30, LastDay, TimeSpan.FromHours(8), 11), long.MaxValue, 51, CancellationToken.None);

    [Benchmark]
    public Task<IReadOnlyList<(DateOnly Month, MerchantCategory Category, long AmountFen)>> MonthlyBillOfSixMonths() =>
        _journal.SpendAsync(new HolderDays(_holder, LastDay - 180, LastDay, TimeSpan.FromHours(8), 11), CancellationToken.None);

    [GlobalCleanup]
    public async Task CleanupAsync() => await _database.DisposeAsync();
}
