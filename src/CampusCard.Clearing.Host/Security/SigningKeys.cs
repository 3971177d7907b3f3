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

    /// <summary>The key in the PEM file at <paramref name="path"/>; <see cref="InvalidDataException"/> saying why when there is none.</summary>
    public static ECDsaSecurityKey Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path} does not exist");
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path} cannot be read: {e.Message}", e);
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidDataException($"{path} holds no ECDSA key in PEM (create-key writes one)", e);
        }
        if (key.KeySize != 256) throw new InvalidDataException($"{path} holds a {key.KeySize}-bit key, not a P-256 key (ES256)");
        return new ECDsaSecurityKey(key) { KeyId = KeyId(key) };
    }

    /// <summary>A stable id of the public key, so a token names the key it was signed with (key rotation).</summary>
    private static string KeyId(ECDsa key) => Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16].ToLowerInvariant();
}
