namespace CampusCard.Clearing.Grpc.Tests;

public class MetadataTests
{
    [Fact]
    public void Keys_are_lowercased_and_the_last_value_wins()
    {
        var metadata = new Metadata { { "X-Trace", "a" }, { "x-trace", "b" } };

        Assert.Equal("b", metadata.GetValue("x-trace"));
        Assert.All(metadata, entry => Assert.Equal("x-trace", entry.Key));
    }

    [Fact]
    public void Binary_values_need_a_bin_key_and_ascii_values_must_not_have_one()
    {
        var metadata = new Metadata { { "x-blob-bin", new byte[] { 0, 255 } } };

        Assert.Equal(new byte[] { 0, 255 }, metadata.GetValueBytes("x-blob-bin"));
        Assert.True(metadata.Get("x-blob-bin")!.IsBinary);
        Assert.Throws<ArgumentException>(() => metadata.Add("x-blob", new byte[] { 1 }));
        Assert.Throws<ArgumentException>(() => metadata.Add("x-text-bin", "text"));
    }

    [Theory]
    [InlineData("x trace", "value")]
    [InlineData("x:trace", "value")]
    [InlineData("x-trace", "non-ascii ✓")]
    [InlineData("x-trace", "line\nbreak")]
    public void Rejects_keys_and_values_that_http_headers_cannot_carry(string key, string value)
    {
        Assert.Throws<ArgumentException>(() => new Metadata().Add(key, value));
    }

    [Fact]
    public void Missing_keys_give_null()
    {
        Assert.Null(new Metadata().GetValue("absent"));
        Assert.Null(new Metadata().GetValueBytes("absent-bin"));
    }
}
