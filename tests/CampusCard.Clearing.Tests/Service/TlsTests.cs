using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CampusCard.Clearing.Tests.Service;

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
        var ours = await CallAsync(new Health.HealthClient(Channel).CheckAsync, new HealthCheckRequest());
        var buf = JsonDocument.Parse(await ExternalClient.BufCurlAsync(Address, "grpc.health.v1.Health/Check", "{}", null, TestCredentials.Token(CallerRole.Operator)));

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
