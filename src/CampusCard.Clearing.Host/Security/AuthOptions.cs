using CampusCard.Clearing.Host.Configuration;

namespace CampusCard.Clearing.Host.Security;

/// <summary>How callers prove who they are; bound from the "Auth" configuration section.</summary>
public sealed class AuthOptions
{
    public const string DefaultIssuer = "campuscard-clearing";

    /// <summary>The <c>iss</c> every token must carry.</summary>
    public string Issuer { get; set; } = DefaultIssuer;

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string Audience { get; set; } = DefaultIssuer;

    /// <summary>
    /// A PEM file with the ECDSA P-256 key tokens are signed with (ES256). The service needs only the public
    /// key; a private key file works too (its public half is used). Required.
    /// </summary>
    public string PublicKeyPath { get; set; } = "";

    /// <summary>Reflection and metrics without a credential, for development; otherwise they need the operator role.</summary>
    public bool OpenOperatorEndpoints { get; set; }

    /// <summary>Validated tokens kept, so a terminal's every call does not cost a signature check.</summary>
    public int TokenCacheSize { get; set; } = 100_000;

    /// <summary>How long a validated token is trusted before its signature is checked again (never past its expiry).</summary>
    public TimeSpan TokenCacheLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

internal sealed class AuthOptionsValidator() : SettingsValidator<AuthOptions>("Auth")
{
    protected override void Check(AuthOptions options, SettingChecks checks)
    {
        checks.Required(nameof(options.PublicKeyPath), options.PublicKeyPath,
            "it names the PEM file of the ES256 key bearer tokens are signed with (scripts/run.sh makes one; scripts/host.sh create-key --out signing-key.pem)");
        if (!string.IsNullOrWhiteSpace(options.PublicKeyPath) && Unusable(options.PublicKeyPath) is { } why) checks.Fail(nameof(options.PublicKeyPath), why);
        checks.Required(nameof(options.Issuer), options.Issuer, "it is the iss every token must carry");
        checks.Required(nameof(options.Audience), options.Audience, "it is the aud every token must carry");
        checks.AtLeast(nameof(options.TokenCacheSize), options.TokenCacheSize, 1);
        checks.NotNegative(nameof(options.TokenCacheLifetime), options.TokenCacheLifetime);
    }

    private static string? Unusable(string path)
    {
        try
        {
            SigningKeys.Load(path);
            return null;
        }
        catch (InvalidDataException e)
        {
            return $"cannot be used: {e.Message}";
        }
    }
}
