using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Npgsql;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Tests.Engine;

/// <summary>
/// Issue 24: a caller that leaves stops waiting, but its statement is not cancelled, and a terminal's registration is read
/// once for every caller that needs it. A stalled database is a table another connection holds locked: PostgreSQL shows
/// the statements waiting for it.
/// </summary>
public class DetachedReadsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 12, 0, 0, TimeSpan.FromHours(8));
    private ScratchDatabase _db = null!;
    private NpgsqlConnection? _locker;
    private NpgsqlTransaction? _lock;

    public async Task InitializeAsync()
    {
        _db = await ScratchDatabase.CreateAsync();
        var merchant = (await _db.Registry.OpenMerchantAsync(Campuses.Default, "CANTEEN-1", "一食堂", MerchantCategory.Dining, Now, default))!;
        await _db.Registry.RegisterTerminalAsync(Campuses.Default, "T1", merchant.No, "office", Now, default);
    }

    public async Task DisposeAsync()
    {
        await ReleaseAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_caller_that_leaves_stops_waiting_and_its_statement_runs_on()
    {
        var registry = new DetachedRegistry(_db.Registry);
        await LockTerminalsAsync();

        using var leaving = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => registry.FindTerminalAsync(Campuses.Default, "T1", leaving.Token));
        await Task.Delay(300);

        Assert.Equal(1L, await WaitingReadsAsync());
        await ReleaseAsync();
        await WaitUntilAsync(async () => await WaitingReadsAsync() == 0);
    }

    [Fact]
    public async Task Callers_of_one_terminal_share_one_read_which_none_of_them_cancels()
    {
        var directory = new Directory(new DetachedRegistry(_db.Registry), TimeProvider.System);
        await LockTerminalsAsync();

        using var leaving = new CancellationTokenSource();
        var left = directory.TerminalAsync(Campuses.Default, "T1", leaving.Token).AsTask();
        var staying = directory.TerminalAsync(Campuses.Default, "T1", CancellationToken.None).AsTask();
        await WaitUntilAsync(async () => await WaitingReadsAsync() > 0);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        await Task.Delay(300);

        Assert.Equal(1L, await WaitingReadsAsync());
        await ReleaseAsync();
        Assert.Equal("CANTEEN-1", (await staying)!.MerchantId);
    }

    [Fact]
    public async Task A_registration_past_its_age_answers_at_once_while_it_is_read_again()
    {
        var clock = new ManualClock(Now);
        var directory = new Directory(new DetachedRegistry(_db.Registry), clock);
        var first = await directory.TerminalAsync(Campuses.Default, "T1", CancellationToken.None);
        await _db.Registry.RevokeTerminalAsync(Campuses.Default, "T1", "office", Now, default);
        clock.Advance(Directory.TerminalTtl + TimeSpan.FromSeconds(1));
        await LockTerminalsAsync();

        var stale = await directory.TerminalAsync(Campuses.Default, "T1", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await WaitUntilAsync(async () => await WaitingReadsAsync() == 1);
        await ReleaseAsync();

        Assert.Equal(first, stale);
        await WaitUntilAsync(async () => (await directory.TerminalAsync(Campuses.Default, "T1", CancellationToken.None))!.IsRevoked);
    }

    /// <summary>Holds the terminals table locked in a transaction of its own: every read of it waits.</summary>
    private async Task LockTerminalsAsync()
    {
        _locker = await _db.DataSource.OpenConnectionAsync();
        _lock = await _locker.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand("LOCK TABLE terminals IN ACCESS EXCLUSIVE MODE", _locker, _lock);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task ReleaseAsync()
    {
        if (_lock is not null) await _lock.RollbackAsync();
        if (_locker is not null) await _locker.DisposeAsync();
        (_lock, _locker) = (null, null);
    }

    /// <summary>The statements of this database waiting for the lock on the terminals table.</summary>
    private Task<long> WaitingReadsAsync() => _db.ScalarAsync<long>(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM terminals%'");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++) await Task.Delay(50);
        Assert.True(await condition(), "not within 5 s");
    }
}
