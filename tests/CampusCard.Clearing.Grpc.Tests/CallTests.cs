using CampusCard.Clearing.Grpc.Tests.TestServer;

namespace CampusCard.Clearing.Grpc.Tests;

public class CallTests(GrpcServerFixture server) : ServerTestBase(server)
{
    [Fact]
    public async Task A_unary_call_returns_the_response()
    {
        Assert.Equal("héllo ✓", await Channel.UnaryAsync(TestMethods.Echo, "héllo ✓"));
    }

    [Fact]
    public async Task Many_concurrent_unary_calls_all_succeed()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Channel.UnaryAsync(TestMethods.Echo, $"call {i}", Patient)));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"call {i}"), responses);
    }

    [Fact]
    public async Task A_server_stream_well_above_64_KiB_arrives_whole_and_in_order()
    {
        var messages = await Channel.ServerStreaming(TestMethods.Stream, "200,8192", Patient).ToListAsync();

        Assert.Equal(200, messages.Count);
        Assert.All(messages, message => Assert.Equal(8192, message.Length));
    }

    [Fact]
    public async Task A_server_stream_with_no_messages_ends_cleanly()
    {
        Assert.Empty(await Channel.ServerStreaming(TestMethods.Stream, "0,1", Patient).ToListAsync());
    }

    [Fact]
    public async Task A_client_stream_delivers_every_request_in_order()
    {
        Assert.Equal("3:abc", await Channel.ClientStreamingAsync(TestMethods.Concat, new[] { "a", "b", "c" }.ToAsyncEnumerable(), Patient));
    }

    [Fact]
    public async Task A_client_stream_with_no_requests_is_answered()
    {
        Assert.Equal("0:", await Channel.ClientStreamingAsync(TestMethods.Concat, AsyncEnumerable.Empty<string>(), Patient));
    }

    [Fact]
    public async Task A_client_stream_well_above_64_KiB_is_received_whole()
    {
        var chunk = new string('y', 16 * 1024);

        var response = await Channel.ClientStreamingAsync(TestMethods.Concat, Enumerable.Repeat(chunk, 40).ToAsyncEnumerable(), Patient);

        Assert.Equal($"40:{string.Concat(Enumerable.Repeat(chunk, 40))}", response);
    }

    [Fact]
    public async Task Metadata_reaches_the_handler_ascii_and_binary_and_protocol_headers_are_not_metadata()
    {
        var headers = new Metadata { { "x-trace", "abc-123" }, { "x-blob-bin", new byte[] { 0, 1, 2, 254, 255 } } };

        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.EchoMetadata, "fail", Patient with { Headers = headers }));

        Assert.Equal(new Status(StatusCode.Aborted, "metadata echoed"), error.Status);
        Assert.Equal("abc-123", error.Trailers.GetValue("x-trace"));
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, error.Trailers.GetValueBytes("x-blob-bin"));
        var keys = error.Trailers.GetValue("x-header-keys")!.Split(',');
        Assert.Contains("x-trace", keys);
        Assert.DoesNotContain(keys, key => key.StartsWith(':') || key is "content-type" or "te" or "grpc-timeout");
    }

    [Fact]
    public async Task Trailers_of_a_successful_call_follow_the_response()
    {
        var response = await SendRawAsync(
            TestMethods.EchoMetadata.FullName,
            Frame("ok"u8.ToArray()),
            headers: h => h.Add("x-trace", "abc"));

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal("abc", response.Trailers.GetValues("x-trace").Single());
        Assert.Equal("application/grpc", response.ContentType);
        Assert.Equal(Frame("ok"u8.ToArray()), response.Body);
    }
}
