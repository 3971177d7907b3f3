namespace CampusCard.Clearing.Domain;

/// <summary>
/// The campus's local day, which the daily limit and the service hours of a channel follow.
/// The UTC offset is configuration (China Standard Time, +08:00, by default).
/// </summary>
public sealed class BusinessCalendar(TimeSpan utcOffset)
{
    public static readonly BusinessCalendar ChinaStandardTime = new(TimeSpan.FromHours(8));

    public TimeSpan UtcOffset { get; } = utcOffset;

    public DateTimeOffset Local(DateTimeOffset instant) => instant.ToOffset(UtcOffset);

    /// <summary>Days since 1970-01-01 in local time.</summary>
    public int DayNumber(DateTimeOffset instant) => DayNumber(Today(instant));

    /// <summary>The local date of an instant.</summary>
    public DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant).DateTime);

    /// <summary>A local date's day number (days since 1970-01-01), as the journal's business_day stores it.</summary>
    public static int DayNumber(DateOnly date) => date.DayNumber - Epoch;

    /// <summary>
    /// An instant no later than the start of day <paramref name="dayNumber"/> at any UTC offset (at most 14 hours): a decision
    /// of that business day was made at or after it, as its day is its time's local date. The journal reads a day's rows by
    /// time from here.
    /// </summary>
    public static DateTimeOffset BeganBy(int dayNumber) => DateTimeOffset.UnixEpoch.AddDays(dayNumber - 1);

    private static readonly int Epoch = new DateOnly(1970, 1, 1).DayNumber;
}
