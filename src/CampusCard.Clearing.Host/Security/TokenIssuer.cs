using System.Security.Claims;
using CampusCard.Clearing.Domain;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// Issues signed bearer tokens (JWT, ES256) carrying a caller's role, its campus's code (none: the default campus, or the
/// vendor's no campus) and, for a terminal, its terminal and merchant.
/// </summary>
public sealed class TokenIssuer(ECDsaSecurityKey signingKey, string issuer = AuthOptions.DefaultIssuer, string audience = AuthOptions.DefaultIssuer)
{
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(Caller caller, TimeSpan lifetime, DateTimeOffset? now = null, string? campus = null)
    {
        if (caller.Role == CallerRole.Terminal && (caller.TerminalId.Length == 0 || caller.MerchantId.Length == 0))
            throw new ArgumentException("a terminal's token names its terminal and its merchant", nameof(caller));
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new List<Claim> { new(TokenClaims.Role, Caller.RoleName(caller.Role)), new(TokenClaims.Subject, caller.Subject) };
        if (caller.TerminalId.Length > 0) claims.Add(new Claim(TokenClaims.TerminalId, caller.TerminalId));
        if (caller.MerchantId.Length > 0) claims.Add(new Claim(TokenClaims.MerchantId, caller.MerchantId));
        if (!string.IsNullOrEmpty(campus)) claims.Add(new Claim(TokenClaims.Campus, campus));
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt,
            NotBefore = issuedAt.AddMinutes(-5),
            Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(signingKey, SigningKeys.Algorithm),
        });
    }
}
