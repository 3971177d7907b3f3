using System.Collections.Concurrent;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// What JwtBearer does not: a token validated once is remembered with its <see cref="CallerPrincipal"/>, so a
/// terminal's next call costs a dictionary lookup instead of a signature check (about 100 µs) and a principal; and on
/// every call, cached or not, the role is one of ours and a terminal's token names a live registration of that
/// terminal to that merchant, so a revoked terminal is refused at once however long its token was issued for. The
/// token's campus claim names the caller's campus (none: the default campus; the vendor has none and names none): a
/// campus the deployment does not have is refused.
/// </summary>
internal sealed class CallerTokenEvents(Directory directory, TimeProvider clock, AuthOptions options) : JwtBearerEvents
{
    private const string Bearer = "Bearer ";

    // Looked up by the header's span: a token is several hundred characters, and cutting it out of the header was a
    // string per call.
    private readonly ConcurrentDictionary<string, (CallerPrincipal Principal, DateTimeOffset Until)>.AlternateLookup<ReadOnlySpan<char>> _validated =
        new ConcurrentDictionary<string, (CallerPrincipal Principal, DateTimeOffset Until)>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return;
        if (!_validated.TryGetValue(header.AsSpan(Bearer.Length).Trim(), out var cached) || cached.Until <= clock.GetUtcNow()) return;
        if (await RefusedAsync(context, cached.Principal.Caller, cached.Principal.IssuedAt)) return;
        context.Principal = cached.Principal;
        context.Success();
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var role = principal.FindFirst(TokenClaims.Role)?.Value;
        if (!Caller.TryParseRole(role, out var callerRole))
        {
            context.Fail(new RefusedException(ErrorReason.TokenClaimsInvalid,
                $"the bearer token's role '{role}' is not one of {string.Join(", ", Enum.GetValues<CallerRole>().Select(Caller.RoleName))}"));
            return;
        }
        var subject = principal.FindFirst(TokenClaims.Subject)?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            context.Fail(new RefusedException(ErrorReason.TokenClaimsInvalid, "the bearer token names no subject (sub)"));
            return;
        }
        var caller = new Caller(callerRole, subject, principal.FindFirst(TokenClaims.TerminalId)?.Value ?? "", principal.FindFirst(TokenClaims.MerchantId)?.Value ?? "");
        // A token without iat counts as issued at the beginning of time: older than any registration.
        var issuedAt = new DateTimeOffset(DateTime.SpecifyKind(((JsonWebToken)context.SecurityToken).IssuedAt, DateTimeKind.Utc), TimeSpan.Zero);
        if (await CampusOfAsync(context, caller, principal.FindFirst(TokenClaims.Campus)?.Value) is not { } campus) return;
        caller = caller with { Campus = campus };
        if (await RefusedAsync(context, caller, issuedAt)) return;
        var callerPrincipal = new CallerPrincipal(principal, caller, issuedAt);
        context.Principal = callerPrincipal;
        Remember(((JsonWebToken)context.SecurityToken).EncodedToken, callerPrincipal, context.SecurityToken.ValidTo);
    }

    /// <summary>The campus the token's claim names (<paramref name="code"/>), or null when the authentication failed for it.</summary>
    private async Task<short?> CampusOfAsync(ResultContext<JwtBearerOptions> context, Caller caller, string? code)
    {
        if (caller.Role == CallerRole.Vendor)
        {
            if (code is null) return Campuses.None;
            context.Fail(new RefusedException(ErrorReason.TokenClaimsInvalid, "a vendor's token names no campus: the vendor acts on every campus through Admin only"));
            return null;
        }
        if (code is null) return Campuses.Default;
        try
        {
            if (await directory.CampusAsync(code, context.HttpContext.RequestAborted) is { } campus) return campus.No;
        }
        catch (Exception e) when (Dependencies.AreUnavailable(e))
        {
            context.Fail(new EngineUnavailableException(ErrorReason.DependencyUnavailable, $"campus '{code}' cannot be looked up now; retry with the same request_id"));
            return null;
        }
        context.Fail(new RefusedException(ErrorReason.TokenClaimsInvalid, $"the bearer token's campus '{code}' is not a campus of this deployment",
            new Dictionary<string, string> { ["campus"] = code }));
        return null;
    }

    /// <summary>
    /// Fails the authentication when the caller is refused now, or when a terminal's registration cannot be read: that
    /// failure is answered UNAVAILABLE (<see cref="GrpcAuthorizationResultHandler"/>), since the credential may be good.
    /// </summary>
    private async Task<bool> RefusedAsync(ResultContext<JwtBearerOptions> context, Caller caller, DateTimeOffset issuedAt)
    {
        RefusedException? refusal;
        try
        {
            refusal = await RefusalAsync(caller, issuedAt, context.HttpContext.RequestAborted);
        }
        catch (Exception e) when (Dependencies.AreUnavailable(e))
        {
            context.Fail(new EngineUnavailableException(ErrorReason.DependencyUnavailable, $"the registration of terminal {caller.TerminalId} cannot be read now; retry with the same request_id"));
            return true;
        }
        if (refusal is null) return false;
        context.Fail(refusal);
        return true;
    }

    /// <summary>
    /// Why a terminal's token is refused now (not registered, revoked, another merchant's, issued before the terminal
    /// was moved or registered again), or null.
    /// </summary>
    private async Task<RefusedException?> RefusalAsync(Caller caller, DateTimeOffset issuedAt, CancellationToken ct)
    {
        if (caller.Role != CallerRole.Terminal) return null;
        var registration = caller.TerminalId.Length == 0 ? null : await directory.TerminalAsync(caller.Campus, caller.TerminalId, ct);
        var about = new Dictionary<string, string> { ["terminal_id"] = caller.TerminalId };
        if (registration is null)
            return new(ErrorReason.TerminalNotRegistered, $"terminal '{caller.TerminalId}' is not registered: the card office registers it to its merchant (Cards.RegisterTerminal)", about);
        if (registration.IsRevoked) return new(ErrorReason.TerminalRevoked, $"terminal {caller.TerminalId} was revoked by the card office", about);
        if (registration.MerchantId != caller.MerchantId)
            return new(ErrorReason.TerminalMerchantMismatch, $"terminal {caller.TerminalId} is registered to merchant {registration.MerchantId}, not to '{caller.MerchantId}'", about);
        if (registration.Predates(issuedAt))
            return new(ErrorReason.TokenPredatesRegistration,
                $"this token of terminal {caller.TerminalId} was issued before the terminal was registered again on {registration.TokensFrom:u}: it needs a new one", about);
        return null;
    }

    /// <summary>Until the token expires or the cache lifetime ends; a full cache is emptied rather than managed (tokens are few: one per device).</summary>
    private void Remember(string token, CallerPrincipal principal, DateTime validTo)
    {
        var now = clock.GetUtcNow();
        var until = now + options.TokenCacheLifetime;
        if (validTo != DateTime.MinValue && new DateTimeOffset(validTo, TimeSpan.Zero) < until) until = new DateTimeOffset(validTo, TimeSpan.Zero);
        if (_validated.Dictionary.Count >= options.TokenCacheSize) _validated.Dictionary.Clear();
        _validated.Dictionary[token] = (principal, until);
    }
}
