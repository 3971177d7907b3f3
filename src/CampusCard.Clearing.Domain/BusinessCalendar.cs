namespace CampusCard.Clearing.Domain;

/// <summary>
/// A campus's business day, which the daily limit, settlement and the statements follow, and its wall clock, which a
/// channel's service hours follow. The UTC offset is configuration (China Standard Time, +08:00, by default), per campus;
/// so is the time the business day changes (<see cref="DayStartsAt"/>, midnight by default: "04:00" counts a debit at
/// 01:00 on the day before, for a campus whose night shops close after midnight).
/// </summary>
public sealed class BusinessCalendar(TimeSpan utcOffset, TimeOnly dayStartsAt = default)
{
    public static readonly BusinessCalendar ChinaStandardTime = new(TimeSpan.FromHours(8));

    public TimeSpan UtcOffset { get; } = utcOffset;

    public TimeOnly DayStartsAt { get; } = dayStartsAt;

    /// <summary>How far the business day lags the UTC one: the offset less the local time the day starts at.</summary>
    public TimeSpan DayOffset => UtcOffset - DayStartsAt.ToTimeSpan();

    public DateTimeOffset Local(DateTimeOffset instant) => instant.ToOffset(UtcOffset);

    /// <summary>Days since 1970-01-01 of the business day of an instant.</summary>
    public int DayNumber(DateTimeOffset instant) => DayNumber(Today(instant));

    /// <summary>The business date of an instant: its local date, less a day before <see cref="DayStartsAt"/>.</summary>
    public DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime + DayOffset);

    /// <summary>A local date's day number (days since 1970-01-01), as the journal's business_day stores it.</summary>
    public static int DayNumber(DateOnly date) => date.DayNumber - Epoch;

    /// <summary>
    /// An instant no later than the start of day <paramref name="dayNumber"/> at any UTC offset (at most 14 hours) and any
    /// <see cref="DayStartsAt"/> (midnight or later): a decision
    /// of that business day was made at or after it, as its day is its time's local date. The journal reads a day's rows by
    /// time from here.
    /// </summary>
    public static DateTimeOffset BeganBy(int dayNumber) => DateTimeOffset.UnixEpoch.AddDays(dayNumber - 1);

    private static readonly int Epoch = new DateOnly(1970, 1, 1).DayNumber;
}

/// <summary>
/// Each campus's business day at one time: a campus in another time zone, or whose day starts later, may be on another day
/// than the deployment's. A rebuild reads each holder's spend of its own campus's day.
/// </summary>
/// <param name="Deployment">The day of a campus without settings of its own.</param>
/// <param name="ByCampus">The day of each campus with settings of its own.</param>
public sealed record BusinessDays(int Deployment, IReadOnlyDictionary<short, int> ByCampus)
{
    /// <summary>One day for every campus (a deployment whose campuses share a clock).</summary>
    public static BusinessDays Everywhere(int day) => new(day, new Dictionary<short, int>());

    public int Of(short campus) => ByCampus.TryGetValue(campus, out var day) ? day : Deployment;

    /// <summary>The earliest of the days: no row of any of them was decided before <see cref="BusinessCalendar.BeganBy"/> of it.</summary>
    public int Earliest => ByCampus.Values.Append(Deployment).Min();
}
