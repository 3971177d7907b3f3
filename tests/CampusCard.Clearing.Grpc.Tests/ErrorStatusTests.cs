using CampusCard.Clearing.Grpc.Tests.TestServer;
using Microsoft.Extensions.Logging;

namespace CampusCard.Clearing.Grpc.Tests;

public class ErrorStatusTests(GrpcServerFixture server) : ServerTestBase(server)
{
    [Fact]
    public async Task A_handler_status_arrives_with_its_non_ascii_detail_and_trailers()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.Fail, "余额不足 ✓ 100%", Patient));

        Assert.Equal(new Status(StatusCode.FailedPrecondition, "余额不足 ✓ 100%"), error.Status);
        Assert.Equal("yes", error.Trailers.GetValue("x-failed"));
    }

    [Fact]
    public async Task A_status_after_streamed_messages_arrives_in_the_trailers()
    {
        var received = new List<string>();

        var error = await AssertFailsAsync(async () =>
        {
            await foreach (var message in Channel.ServerStreaming(TestMethods.StreamThenFail, "partial ✓", Patient))
            {
                received.Add(message);
            }
        });

        Assert.Equal(["partial ✓"], received);
        Assert.Equal(new Status(StatusCode.DataLoss, "partial ✓"), error.Status);
        Assert.Equal("yes", error.Trailers.GetValue("x-failed"));
    }

    [Fact]
    public async Task A_handler_exception_is_internal_without_details_on_the_wire_and_logged()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.Throw, "", Patient));

        Assert.Equal(new Status(StatusCode.Internal, "Exception was thrown by handler."), error.Status);
        Assert.DoesNotContain("secret", error.Trailers.Select(e => e.ToString()).Append(error.Message), StringComparer.Ordinal);
        Assert.Contains(Server.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains(TestMethods.Throw.FullName) && entry.Exception?.Message == "secret internal detail");
    }

    [Fact]
    public async Task An_unknown_method_of_a_known_service_is_unimplemented()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.Unknown(TestMethods.ServiceName, "Nope"), "", Patient));

        Assert.Equal(new Status(StatusCode.Unimplemented, "Method is unimplemented."), error.Status);
    }

    [Fact]
    public async Task An_unknown_service_is_unimplemented()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.Unknown("nope.Service", "Nope"), "", Patient));

        Assert.Equal(new Status(StatusCode.Unimplemented, "Service is unimplemented."), error.Status);
    }

    [Fact]
    public async Task A_request_above_the_server_limit_is_resource_exhausted()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.Echo, new string('x', (4 * 1024 * 1024) + 1), Patient));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task A_streamed_request_above_the_server_limit_is_resource_exhausted()
    {
        var requests = new[] { "small", new string('x', (4 * 1024 * 1024) + 1) }.ToAsyncEnumerable();

        var error = await AssertFailsAsync(() => Channel.ClientStreamingAsync(TestMethods.Concat, requests, Patient));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_response_above_the_client_limit_is_resource_exhausted()
    {
        using var channel = GrpcChannel.ForAddress(Server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });

        var error = await AssertFailsAsync(() => channel.UnaryAsync(TestMethods.Echo, new string('x', 1001), Patient));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_request_above_the_client_send_limit_fails_without_being_sent()
    {
        using var channel = GrpcChannel.ForAddress(Server.Address, new GrpcChannelOptions { MaxSendMessageSize = 1000 });

        var error = await AssertFailsAsync(() => channel.UnaryAsync(TestMethods.Echo, new string('x', 1001), Patient));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task An_unreachable_server_is_unavailable()
    {
        using var channel = GrpcChannel.ForAddress("http://127.0.0.1:1");

        var error = await AssertFailsAsync(() => channel.UnaryAsync(TestMethods.Echo, "", Patient));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
