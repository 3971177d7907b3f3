using System.Net;
using System.Net.Http.Headers;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The Prometheus endpoint: on a port of its own, for the operator role, with the calls' and the engine's metrics, Kestrel's,
/// Npgsql's and the runtime's, and the service's name and version. Alone:
/// OpenTelemetry listens to meters by name across the process, so services of tests running beside it would add to its counts.
/// </summary>
[Collection(Alone)]
public class MetricsTests : ServiceTestBase
{
    public const string Alone = "Metrics, alone";

    private static readonly HttpClient Http = new();
    private readonly int _port = LoopbackPorts.Free();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Metrics:Address", $"127.0.0.1:{_port}")];

    [Fact]
    public async Task An_operator_scrapes_calls_by_method_and_status_the_engine_and_what_it_stands_on()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await DebitAsync(Debit(account, merchant, 100));
        await DebitAsync(Debit(account, merchant, 5_000));
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => Cards.GetAccountAsync(new GetAccountRequest { PersonNo = "NOBODY" }).ResponseAsync);

        var text = await ScrapeAsync(TestCredentials.Token(CallerRole.Operator));

        Assert.Contains("campuscard_engine_decisions_total{otel_scope_name=\"CampusCard.Clearing.Engine\",kind=\"debit\",outcome=\"approved\"} 1", text);
        Assert.Contains("campuscard_engine_decisions_total{otel_scope_name=\"CampusCard.Clearing.Engine\",kind=\"debit\",outcome=\"declined\"} 1", text);
        // OpenTelemetry's semantic conventions for RPC servers: the calls are the duration histogram's count.
        Assert.Contains("rpc_server_call_duration_seconds_count{otel_scope_name=\"CampusCard.Clearing.Host\",rpc_grpc_status_code=\"0\",rpc_method=\"Debit\",rpc_service=\"campuscard.clearing.v1.Terminal\",rpc_system=\"grpc\"} 2", text);
        Assert.Contains("rpc_server_call_duration_seconds_bucket{otel_scope_name=\"CampusCard.Clearing.Host\",rpc_grpc_status_code=\"5\",rpc_method=\"GetAccount\",rpc_service=\"campuscard.clearing.v1.Cards\",rpc_system=\"grpc\",le=\"+Inf\"} 1", text);
        Assert.Matches("target_info\\{service_name=\"campuscard-clearing\",service_version=\"[0-9][^\"]*\",", text);
        Assert.Contains("kestrel_active_connections{", text);
        Assert.Contains("db_client_operation_duration_seconds_count{", text);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes_total{", text);
        Assert.Contains("campuscard_engine_state{otel_scope_name=\"CampusCard.Clearing.Engine\",state=\"ready\"} 1", text);
        Assert.Contains("campuscard_engine_batch_requests_bucket", text);
        Assert.Contains("campuscard_engine_journal_lag_seconds", text);
        Assert.DoesNotContain("Bearer", text);
    }

    [Fact]
    public async Task Metrics_need_the_operator_role_and_are_not_served_on_the_grpc_port()
    {
        var none = await Http.GetAsync($"http://127.0.0.1:{_port}/metrics");
        using var kiosk = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/metrics");
        kiosk.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.Token(CallerRole.Kiosk));
        var forbidden = await Http.SendAsync(kiosk);
        using var onGrpcPort = new HttpRequestMessage(HttpMethod.Get, $"{Address}/metrics") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        onGrpcPort.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestCredentials.Token(CallerRole.Operator));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.SendAsync(onGrpcPort)).StatusCode);
    }

    private async Task<string> ScrapeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}

[CollectionDefinition(MetricsTests.Alone, DisableParallelization = true)]
public class MetricsCollection;
