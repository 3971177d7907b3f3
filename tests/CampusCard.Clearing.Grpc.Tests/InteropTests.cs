using System.Text.Json;
using CampusCard.Clearing.Grpc.Tests.TestServer;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CampusCard.Clearing.Grpc.Tests;

/// <summary>Python's grpcio, an independent implementation, as the client of our server.</summary>
public class InteropTests(GrpcServerFixture server) : ServerTestBase(server)
{
    [Fact]
    public async Task Unary_call_with_metadata_in_and_trailers_out()
    {
        var result = (await RunAsync("unary")).Single();

        Assert.Equal("héllo ✓", result.GetProperty("response").GetString());
        Assert.Equal("OK", result.GetProperty("code").GetString());
        var trailers = result.GetProperty("trailers");
        Assert.Equal("abc", trailers.GetProperty("x-trace").GetString());
        Assert.Equal("0001feff", trailers.GetProperty("x-blob-bin").GetString());
    }

    [Fact]
    public async Task Error_status_with_a_non_ascii_message()
    {
        var result = (await RunAsync("error", "余额不足 ✓ 100%")).Single();

        Assert.Equal("FAILED_PRECONDITION", result.GetProperty("code").GetString());
        Assert.Equal("余额不足 ✓ 100%", result.GetProperty("details").GetString());
        Assert.Equal("yes", result.GetProperty("failed").GetString());
    }

    [Fact]
    public async Task A_deadline_that_expires_cancels_the_handler()
    {
        const string key = "python-deadline";

        var result = (await RunAsync("deadline", key)).Single();

        Assert.Equal("DEADLINE_EXCEEDED", result.GetProperty("code").GetString());
        await Signals.WaitAsync($"{key}:started");
        await Signals.WaitAsync($"{key}:cancelled");
    }

    [Fact]
    public async Task A_server_stream_well_above_64_KiB()
    {
        var result = (await RunAsync("stream", "100,8192")).Single();

        Assert.Equal(100, result.GetProperty("count").GetInt32());
        Assert.Equal(100 * 8192, result.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Unknown_methods_and_services_are_unimplemented()
    {
        var results = await RunAsync("unimplemented");

        Assert.All(results, result => Assert.Equal("UNIMPLEMENTED", result.GetProperty("code").GetString()));
        Assert.Equal(["Method is unimplemented.", "Service is unimplemented."], results.Select(r => r.GetProperty("details").GetString()));
    }

    [Fact]
    public async Task A_cancelled_call_cancels_the_handler()
    {
        const string key = "python-cancel";

        var result = (await RunAsync("cancel", key)).Single();

        Assert.Equal("tick", result.GetProperty("first").GetString());
        Assert.Equal("CANCELLED", result.GetProperty("code").GetString());
        await Signals.WaitAsync($"{key}:cancelled");
    }

    [Fact]
    public async Task An_oversized_message_is_resource_exhausted()
    {
        var result = (await RunAsync("oversized")).Single();

        Assert.Equal("RESOURCE_EXHAUSTED", result.GetProperty("code").GetString());
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Health_check_of_the_server_and_of_an_unknown_service()
    {
        var results = await RunAsync("health_check", Python.InteropDirectory);

        Assert.Equal("SERVING", results[0].GetProperty("status").GetString());
        Assert.Equal("NOT_FOUND", results[1].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Health_watch_sends_the_status_then_its_change()
    {
        const string service = "python.Watched";
        Server.Health.SetStatus(service, ServingStatus.Serving);

        var results = await RunAsync("health_watch", Python.InteropDirectory + Path.PathSeparator + service, line =>
        {
            if (line.TryGetProperty("status", out var status) && status.GetString() == "SERVING")
            {
                Server.Health.SetStatus(service, ServingStatus.NotServing);
            }

            return Task.CompletedTask;
        });

        Assert.Equal(["SERVING", "NOT_SERVING"], results.Take(2).Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("CANCELLED", results[2].GetProperty("code").GetString());
    }

    private Task<IReadOnlyList<JsonElement>> RunAsync(string scenario, string argument = "", Func<JsonElement, Task>? onLine = null)
        => Python.RunScenarioAsync(Server.Port, scenario, argument, onLine);
}
