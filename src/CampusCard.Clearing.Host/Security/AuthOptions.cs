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
