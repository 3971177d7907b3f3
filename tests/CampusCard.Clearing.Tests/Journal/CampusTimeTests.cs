using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>
/// The campus's UTC offset in SQL (migration 012): the migrator writes Engine:UtcOffset at every start, and campus_time,
/// campus_instant and campus_today follow it, whatever the session's time zone.
/// </summary>
public class CampusTimeTests : IAsyncLifetime
{
    private ScratchDatabase _database = null!;

    public async Task InitializeAsync() => _database = await ScratchDatabase.CreateAsync(migrate: false);

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private Task MigrateAsync(TimeSpan utcOffset) =>
        new PostgresMigrator(_database.DataSource, new BusinessCalendar(utcOffset), NullLogger<PostgresMigrator>.Instance).MigrateAsync();

    private Task<string> TextAsync(string sql) => _database.ScalarAsync<string>(sql);

    [Fact]
    public async Task Half_past_eleven_UTC_is_half_past_seven_the_next_morning_in_Beijing_and_the_offset_follows_the_setting()
    {
        await MigrateAsync(TimeSpan.FromHours(8));

        Assert.Equal("08:00:00", await TextAsync("SELECT utc_offset::text FROM campus_settings"));
        Assert.Equal("2026-09-02 07:30:00", await TextAsync("SELECT campus_time('2026-09-01 23:30:00+00')::text"));
        Assert.Equal("2026-09-01 23:30:00+00", await TextAsync("SET TIME ZONE 'UTC'; SELECT campus_instant('2026-09-02 07:30')::text"));
        Assert.Equal("2026-09-02 07:30:00", await TextAsync("SET TIME ZONE 'America/New_York'; SELECT campus_time('2026-09-01 23:30:00+00')::text"));

        // A restart with another Engine:UtcOffset (a campus in New York in winter): the next start writes it.
        await MigrateAsync(TimeSpan.FromHours(-5));

        Assert.Equal("-05:00:00", await TextAsync("SELECT utc_offset::text FROM campus_settings"));
        Assert.Equal("2026-09-01 18:30:00", await TextAsync("SELECT campus_time('2026-09-01 23:30:00+00')::text"));
    }

    [Fact]
    public async Task Campus_today_is_the_campus_date_now_in_any_session_time_zone()
    {
        await MigrateAsync(TimeSpan.FromHours(8));

        var before = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var today = await TextAsync("SET TIME ZONE 'Pacific/Pago_Pago'; SELECT campus_today()::text");
        var after = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

        Assert.Contains(today, new[] { before.ToString("yyyy-MM-dd"), after.ToString("yyyy-MM-dd") });
    }

    [Fact]
    public async Task The_service_writes_its_Engine_UtcOffset_at_start()
    {
        var prefix = LocalServers.NewKeyPrefix();
        await using (await InProcessService.StartAsync([.. InProcessService.BaseSettings(_database, prefix), new("Engine:UtcOffset", "05:30:00")]))
        {
            Assert.Equal("05:30:00", await TextAsync("SELECT utc_offset::text FROM campus_settings"));
        }
        await LocalServers.DeleteKeysAsync(prefix);
    }
}
