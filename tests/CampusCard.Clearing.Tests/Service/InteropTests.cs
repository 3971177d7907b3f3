using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Grpc;
using CampusCard.Clearing.Tests.Infrastructure;
using Grpc.Health.V1;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>The real service host called by clients that are not ours: buf curl and python3-grpcio.</summary>
public class InteropTests : ServiceTestBase
{
    [Fact]
    public async Task Buf_curl_sees_the_service_serving_and_debits_through_it()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();

        var health = JsonDocument.Parse(await ExternalClient.BufCurlAsync(Address, "grpc.health.v1.Health/Check", """{"service":""}"""));
        var debit = JsonDocument.Parse(await ExternalClient.BufCurlAsync(Address, "campuscard.clearing.v1.Terminal/Debit",
            $$"""{"request_id":"buf-1","card_no":"{{account.CardNo}}","merchant_id":"{{merchant.MerchantId}}","terminal_id":"BUF","amount_fen":300}"""));

        Assert.Equal("SERVING", health.RootElement.GetProperty("status").GetString());
        Assert.Equal("OUTCOME_APPROVED", debit.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("700", debit.RootElement.GetProperty("balanceFen").GetString());
    }

    [Fact]
    public async Task Python_grpcio_sees_the_service_serving_and_gets_clear_errors()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Interop", "clearing_client.py"));

        var output = await ExternalClient.PythonAsync(script, ExternalClient.RepositoryRoot, Address.Replace("http://", ""), account.CardNo, merchant.MerchantId);

        Assert.Equal(
            ["health SERVING", $"debit {(int)Outcome.Approved} 750", "malformed INVALID_ARGUMENT amount_fen must be greater than 0"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

/// <summary>With a certificate configured, the service speaks TLS and negotiates h2 by ALPN.</summary>
public class TlsTests : ServiceTestBase
{
    private readonly X509Certificate2 _certificate = CreateCertificate();
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"cc-{Guid.NewGuid():N}.pfx");

    public override Task InitializeAsync()
    {
        File.WriteAllBytes(_pfx, _certificate.Export(X509ContentType.Pfx, "secret"));
        return base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_pfx);
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Listen:CertificatePath", _pfx), new("Listen:CertificatePassword", "secret")];

    protected override GrpcChannel CreateChannel(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == _certificate.GetCertHashString() },
        },
    });

    [Fact]
    public async Task Clients_reach_the_service_over_tls()
    {
        var ours = await CallAsync(HealthMethods.Check, new HealthCheckRequest());
        var buf = JsonDocument.Parse(await ExternalClient.BufCurlAsync(Address, "grpc.health.v1.Health/Check", "{}"));

        Assert.StartsWith("https://", Address);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, ours.Status);
        Assert.Equal("SERVING", buf.RootElement.GetProperty("status").GetString());
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
