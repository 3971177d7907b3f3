using System.Globalization;
using CampusCard.Clearing.Grpc.Tests.TestServer;

namespace CampusCard.Clearing.Grpc.Tests;

public class DeadlineAndCancellationTests(GrpcServerFixture server) : ServerTestBase(server)
{
    [Fact]
    public async Task A_deadline_that_passes_fails_the_call_and_cancels_the_handler()
    {
        var key = nameof(A_deadline_that_passes_fails_the_call_and_cancels_the_handler);

        // Long enough to reach the handler on a loaded machine (a deadline that passes while the
        // request is still being read ends the call before any handler runs).
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.WaitForCancellation, key, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(1.5))));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await Signals.WaitAsync($"{key}:started");
        await Signals.WaitAsync($"{key}:cancelled");
    }

    [Fact]
    public async Task The_server_ends_a_call_at_its_grpc_timeout_even_when_the_handler_ignores_cancellation()
    {
        var key = nameof(The_server_ends_a_call_at_its_grpc_timeout_even_when_the_handler_ignores_cancellation);
        try
        {
            // No client-side deadline here: the status can only come from the server.
            var response = await SendRawAsync(TestMethods.IgnoreCancellation.FullName, Frame(System.Text.Encoding.UTF8.GetBytes(key)), headers: h => h.Add("grpc-timeout", "200m"))
                .WaitAsync(TimeSpan.FromSeconds(15));

            Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
            Assert.Empty(response.Body);
            Assert.True(Signals[$"{key}:started"].Task.IsCompleted);
        }
        finally
        {
            Signals[$"{key}:release"].TrySetResult();
        }

        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task A_deadline_already_past_fails_without_calling_the_server()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.Echo, "", new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(-1))));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task The_handler_sees_the_deadline_the_client_set()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);

        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.EchoMetadata, "fail", new CallOptions(Deadline: deadline)));

        var seen = DateTime.Parse(error.Trailers.GetValue("x-deadline")!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.Equal(DateTimeKind.Utc, seen.Kind);
        Assert.InRange(seen, deadline.AddSeconds(-5), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task A_call_without_deadline_has_the_max_deadline()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(TestMethods.EchoMetadata, "fail"));

        Assert.Equal(DateTime.MaxValue.ToString("O", CultureInfo.InvariantCulture), error.Trailers.GetValue("x-deadline"));
        Assert.StartsWith("ipv4:127.0.0.1:", error.Trailers.GetValue("x-peer"));
    }

    [Fact]
    public async Task Cancelling_a_unary_call_fails_it_with_cancelled_and_cancels_the_handler()
    {
        var key = nameof(Cancelling_a_unary_call_fails_it_with_cancelled_and_cancels_the_handler);
        using var cts = new CancellationTokenSource();

        var call = Channel.UnaryAsync(TestMethods.WaitForCancellation, key, Patient with { CancellationToken = cts.Token });
        await Signals.WaitAsync($"{key}:started");
        await cts.CancelAsync();

        var error = await AssertFailsAsync(() => call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await Signals.WaitAsync($"{key}:cancelled");
    }

    [Fact]
    public async Task Leaving_a_server_stream_early_cancels_the_handler()
    {
        var key = nameof(Leaving_a_server_stream_early_cancels_the_handler);

        await foreach (var message in Channel.ServerStreaming(TestMethods.StreamUntilCancelled, key, Patient))
        {
            Assert.Equal("tick", message);
            await Signals.WaitAsync($"{key}:started");
            break;
        }

        await Signals.WaitAsync($"{key}:cancelled");
    }

    [Fact]
    public async Task Cancelling_a_server_stream_through_WithCancellation_fails_it_with_cancelled()
    {
        var key = nameof(Cancelling_a_server_stream_through_WithCancellation_fails_it_with_cancelled);
        using var cts = new CancellationTokenSource();

        var error = await AssertFailsAsync(async () =>
        {
            await foreach (var message in Channel.ServerStreaming(TestMethods.StreamUntilCancelled, key, Patient).WithCancellation(cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await Signals.WaitAsync($"{key}:cancelled");
    }
}
