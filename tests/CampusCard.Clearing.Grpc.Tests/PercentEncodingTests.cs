using CampusCard.Clearing.Grpc.Internal;

namespace CampusCard.Clearing.Grpc.Tests;

public class PercentEncodingTests
{
    [Theory]
    [InlineData("余额不足 ✓ 100%")]
    [InlineData("plain ASCII stays: a-z ~!")]
    [InlineData("tab\tnewline\n")]
    [InlineData("")]
    public void Round_trips(string message)
    {
        Assert.Equal(message, PercentEncoding.Decode(PercentEncoding.Encode(message)));
    }

    [Fact]
    public void Encodes_percent_and_bytes_outside_printable_ascii_as_uppercase_utf8_escapes()
    {
        Assert.Equal("100%25 %E2%9C%93%0A", PercentEncoding.Encode("100% ✓\n"));
    }

    [Fact]
    public void Leaves_printable_ascii_as_it_is()
    {
        const string message = "Deadline Exceeded (after 5s)";

        Assert.Same(message, PercentEncoding.Encode(message));
    }

    [Theory]
    [InlineData("50%", "50%")]
    [InlineData("%zz", "%zz")]
    [InlineData("%4", "%4")]
    [InlineData("%e4%bd%99", "余")]
    public void Decoding_is_lenient_with_malformed_escapes(string encoded, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(encoded));
    }
}
