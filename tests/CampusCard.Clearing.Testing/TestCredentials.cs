using System.Security.Cryptography;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.IdentityModel.Tokens;

namespace CampusCard.Clearing.Testing;

/// <summary>
/// A signing key of this test run (written once to a temp file the in-process services read) and real bearer
/// tokens signed with it, for every role.
/// </summary>
public static class TestCredentials
{
    private static readonly Lazy<(string Path, TokenIssuer Issuer)> Key = new(() =>
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cc-test-key-{Environment.ProcessId}.pem");
        File.WriteAllText(path, SigningKeys.CreatePrivateKeyPem());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return (path, new TokenIssuer(SigningKeys.Load(path)));
    });

    /// <summary>The key file a service under test validates tokens with (Auth:PublicKeyPath).</summary>
    public static string KeyPath => Key.Value.Path;

    public static TokenIssuer Issuer => Key.Value.Issuer;

    /// <summary>Tokens signed with a key of their own, which no service under test trusts: forged ones.</summary>
    public static TokenIssuer Stranger { get; } = new(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));

    /// <param name="campus">The code of the caller's campus (the token's campus claim); null names none: the default campus, or the vendor's none.</param>
    public static string Token(Caller caller, TimeSpan? lifetime = null, string? campus = null) => Issuer.Issue(caller, lifetime ?? TimeSpan.FromHours(1), campus: campus);

    public static string Token(CallerRole role, string? campus = null) => Token(new Caller(role, $"test-{Caller.RoleName(role)}"), campus: campus);

    public static string TerminalToken(string terminalId, string merchantId, string? campus = null) =>
        Token(new Caller(CallerRole.Terminal, $"terminal:{terminalId}", terminalId, merchantId), campus: campus);

    /// <summary>Calls over <paramref name="channel"/> that present <paramref name="token"/>.</summary>
    public static CallInvoker WithToken(this ChannelBase channel, string token) =>
        channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        });
}
