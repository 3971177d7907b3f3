using CampusCard.Clearing.Grpc.Internal;

namespace CampusCard.Clearing.Grpc.Tests;

public class GrpcTimeoutTests
{
    public static TheoryData<string, TimeSpan> ValidTimeouts => new()
    {
        { "1H", TimeSpan.FromHours(1) },
        { "2M", TimeSpan.FromMinutes(2) },
        { "30S", TimeSpan.FromSeconds(30) },
        { "100m", TimeSpan.FromMilliseconds(100) },
        { "250u", TimeSpan.FromMicroseconds(250) },
        { "1n", TimeSpan.FromTicks(1) },
        { "0m", TimeSpan.Zero },
        { "99999999H", TimeSpan.FromHours(99_999_999) },
    };

    [Theory]
    [MemberData(nameof(ValidTimeouts))]
    public void Parses_every_unit(string header, TimeSpan expected)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expected, timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData(" 1S")]
    [InlineData("1.5S")]
    public void Rejects_malformed_values(string header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(1, "1u")]
    [InlineData(1500, "150u")]
    [InlineData(TimeSpan.TicksPerSecond * 5, "5000000u")]
    [InlineData(TimeSpan.TicksPerSecond * 500, "500000m")]
    [InlineData(TimeSpan.TicksPerDay * 2, "172800S")]
    [InlineData(TimeSpan.TicksPerDay * 20_000, "28800000M")]
    [InlineData(TimeSpan.TicksPerDay * 100_000, "2400000H")]
    public void Formats_in_the_finest_unit_that_fits_in_eight_digits_rounding_up(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(123_456_789)]
    [InlineData(TimeSpan.TicksPerDay * 365)]
    public void A_formatted_timeout_parses_back_to_at_least_the_same_time(long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(GrpcTimeout.Format(TimeSpan.FromTicks(ticks)), out var parsed));
        Assert.InRange(parsed.Ticks, ticks, ticks + (ticks / 1000) + TimeSpan.TicksPerMicrosecond);
    }
}
