using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CampusCard.Clearing.Host.Security;

/// <summary>ECDSA P-256 keys in PEM files: the token issuer signs with the private key, the service checks with the public one.</summary>
public static class SigningKeys
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    public static string CreatePrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static ECDsaSecurityKey Load(string path)
    {
        if (string.IsNullOrEmpty(path))
            throw new InvalidOperationException("Auth:PublicKeyPath is not configured (environment variable Auth__PublicKeyPath): a PEM file with the ES256 key tokens are signed with; scripts/run.sh creates one under .local/dev/credentials");
        if (!File.Exists(path)) throw new InvalidOperationException($"the token key file {path} does not exist");
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256) throw new InvalidOperationException($"the token key in {path} is not a P-256 key");
        return new ECDsaSecurityKey(key) { KeyId = KeyId(key) };
    }

    /// <summary>A stable id of the public key, so a token names the key it was signed with (key rotation).</summary>
    private static string KeyId(ECDsa key) => Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16].ToLowerInvariant();
}
