using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// JWT validation that remembers tokens it validated, so the same terminal's next call costs a dictionary
/// lookup instead of an ECDSA verification (about 100 µs). A cached token is trusted until its expiry or
/// the cache lifetime, whichever is sooner; revocation of a terminal is checked on every call elsewhere.
/// </summary>
internal sealed class CachingTokenHandler(TimeProvider clock, int capacity, TimeSpan lifetime) : TokenHandler
{
    private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Until)> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_validated.TryGetValue(token, out var cached) && cached.Until > now) return cached.Result;
        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid) return result;
        var expires = result.SecurityToken.ValidTo == DateTime.MinValue ? now + lifetime : new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero);
        // A full cache is emptied rather than managed: tokens are few (one per device) and re-validating them is cheap enough.
        if (_validated.Count >= capacity) _validated.Clear();
        _validated[token] = (result, expires < now + lifetime ? expires : now + lifetime);
        return result;
    }

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);
}
