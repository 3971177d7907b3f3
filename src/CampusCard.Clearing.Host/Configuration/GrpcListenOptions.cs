using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>Where the gRPC API listens (configuration section "Listen"): HTTP/2, with TLS when a certificate is given.</summary>
internal sealed class GrpcListenOptions
{
    public string Address { get; set; } = "127.0.0.1:50051";

    /// <summary>A PFX certificate: TLS with ALPN instead of h2c.</summary>
    public string CertificatePath { get; set; } = "";

    public string CertificatePassword { get; set; } = "";
}

internal sealed class GrpcListenOptionsValidator() : SettingsValidator<GrpcListenOptions>("Listen")
{
    protected override void Check(GrpcListenOptions options, SettingChecks checks)
    {
        if (Endpoints.Parse(options.Address) is null) checks.Fail(nameof(options.Address), $"is '{options.Address}': it must be {Endpoints.Expected}");
        if (options.CertificatePath.Length > 0 && Unusable(options) is { } why) checks.Fail(nameof(options.CertificatePath), why);
    }

    private static string? Unusable(GrpcListenOptions options)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
            return certificate.HasPrivateKey ? null : $"names {options.CertificatePath}, which holds no private key";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return $"names {options.CertificatePath}, which cannot be loaded as a PFX certificate with Listen__CertificatePassword: {e.Message}";
        }
    }
}
