using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// Each campus's rules at a time (issue 26): the deployment's configuration, with the campus's settings over it from each
/// version's effective time on. Every instance reads the versions from the registry at start, again when told a campus
/// changed (<see cref="Changed"/>, over the registry-change channel) and every <see cref="RefreshInterval"/> besides, so a
/// change reaches every instance without a restart; a version that takes effect later is applied at its time by every
/// instance alike, since each picks the version by the clock. A lookup is a dictionary read: the hot path pays nothing more.
/// </summary>
public sealed class CampusRulesBook(CampusRules deployment, IRegistry? registry, TimeProvider clock, ILogger logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private volatile IReadOnlyDictionary<short, (DateTimeOffset From, CampusRules Rules)[]> _versions =
        new Dictionary<short, (DateTimeOffset, CampusRules)[]>();

    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>The deployment's rules: every campus's until it has settings of its own.</summary>
    public CampusRules Deployment { get; } = deployment;

    /// <summary>The campus's rules at <paramref name="now"/>: its newest version in effect then, else the deployment's.</summary>
    public CampusRules At(short campus, DateTimeOffset now)
    {
        if (!_versions.TryGetValue(campus, out var versions)) return Deployment;
        for (var i = versions.Length - 1; i >= 0; i--)
            if (versions[i].From <= now) return versions[i].Rules;
        return Deployment;
    }

    /// <summary>
    /// The other campuses of the campus's card group at <paramref name="now"/> (校区通用): those whose rules then name the
    /// same group; none when the campus names no group. A campus without settings of its own names none.
    /// </summary>
    public IReadOnlyList<short> GroupOf(short campus, DateTimeOffset now)
    {
        if (At(campus, now).CardGroup is not { } group) return [];
        return [.. _versions.Keys.Where(c => c != campus && At(c, now).CardGroup == group).Order()];
    }

    /// <summary>Each campus's business day at <paramref name="now"/>.</summary>
    public BusinessDays DaysAt(DateTimeOffset now) =>
        new(Deployment.Calendar.DayNumber(now), _versions.Keys.ToDictionary(c => c, c => At(c, now).Calendar.DayNumber(now)));

    /// <summary>The campus's rules now.</summary>
    public CampusRules Now(short campus) => At(campus, clock.GetUtcNow());

    /// <summary>Reads every campus's versions from the registry.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (registry is null) return;
        _versions = (await registry.CampusConfigurationsAsync(ct))
            .GroupBy(c => c.Campus)
            .ToDictionary(g => g.Key, g => g.InEffectOrder().Select(c => (c.EffectiveFrom, Deployment.With(c.Settings))).ToArray());
    }

    /// <summary>A campus's settings changed (here or at another instance): read them again now.</summary>
    public void Changed()
    {
        if (_changed.CurrentCount == 0) _changed.Release();
    }

    /// <summary>Reads the versions again when told of a change and every <see cref="RefreshInterval"/>, until stopped.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(RefreshInterval, stopping);
                await RefreshAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.CampusRulesNotRead(logger, e);
            }
        }
    }
}
