using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CampusCard.Clearing.Grpc.Tests;

public class HealthTests(GrpcServerFixture server) : ServerTestBase(server)
{
    [Fact]
    public async Task Check_answers_the_status_of_the_whole_server()
    {
        var response = await Channel.UnaryAsync(HealthMethods.Check, new HealthCheckRequest(), Patient);

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_answers_not_found_for_an_unknown_service()
    {
        var error = await AssertFailsAsync(() => Channel.UnaryAsync(HealthMethods.Check, new HealthCheckRequest { Service = "unknown.Service" }, Patient));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Watch_sends_the_current_status_then_each_change_until_cancelled()
    {
        const string service = "health.Watched";
        Server.Health.SetStatus(service, ServingStatus.Serving);
        using var cts = new CancellationTokenSource();
        var seen = new List<ServingStatus>();

        var error = await AssertFailsAsync(async () =>
        {
            await foreach (var response in Channel.ServerStreaming(HealthMethods.Watch, new HealthCheckRequest { Service = service }, Patient with { CancellationToken = cts.Token }))
            {
                seen.Add(response.Status);
                if (seen.Count == 1)
                {
                    Server.Health.SetStatus(service, ServingStatus.NotServing);
                }
                else
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal([ServingStatus.Serving, ServingStatus.NotServing], seen);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task Watch_reports_an_unknown_service_as_service_unknown_and_keeps_watching()
    {
        const string service = "health.LateStarter";
        var seen = new List<ServingStatus>();

        await foreach (var response in Channel.ServerStreaming(HealthMethods.Watch, new HealthCheckRequest { Service = service }, Patient))
        {
            seen.Add(response.Status);
            if (seen.Count == 1)
            {
                Server.Health.SetStatus(service, ServingStatus.Serving);
            }
            else
            {
                break;
            }
        }

        Assert.Equal([ServingStatus.ServiceUnknown, ServingStatus.Serving], seen);
    }
}
