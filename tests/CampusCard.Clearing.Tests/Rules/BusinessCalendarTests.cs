using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Tests.Rules;

public class BusinessCalendarTests
{
    /// <summary>
    /// A rebuild reads a holder's rows of the day from <see cref="BusinessCalendar.BeganBy"/> on (transactions_holder_time):
    /// a decision made just after the campus's midnight, at any offset from -12:00 to +14:00, must be among them (a
    /// later instant loses the morning's spend), and the read starts at most a day and a half before the day does.
    /// </summary>
    [Theory]
    [InlineData(2026, 9, 1)]
    [InlineData(1970, 1, 2)]
    [InlineData(2028, 2, 29)]
    public void A_business_day_began_at_or_after_its_instant_at_every_offset_and_at_most_36_hours_after(int year, int month, int day)
    {
        for (var offset = TimeSpan.FromHours(-12); offset <= TimeSpan.FromHours(14); offset += TimeSpan.FromMinutes(15))
        {
            var midnight = new DateTimeOffset(year, month, day, 0, 0, 0, offset);
            var dayNumber = new BusinessCalendar(offset).DayNumber(midnight);

            var began = BusinessCalendar.BeganBy(dayNumber);

            Assert.True(began <= midnight, $"day {dayNumber} at {offset} began at {midnight:u}, before {began:u}");
            Assert.True(midnight - began <= TimeSpan.FromHours(36), $"day {dayNumber} at {offset}: read from {began:u}, more than 36 hours before {midnight:u}");
        }
    }
}
