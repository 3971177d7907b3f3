using System.Collections.Concurrent;
using System.Security.Claims;
using CampusCard.Clearing.Domain;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// A validated token's principal with the caller it names, made once per token and shared by its calls (nothing
/// changes a principal after authentication), with the authorization results of the policies it met.
/// </summary>
internal sealed class CallerPrincipal(ClaimsPrincipal validated, Caller caller, DateTimeOffset issuedAt) : ClaimsPrincipal(validated)
{
    public Caller Caller { get; } = caller;

    /// <summary>When the token was issued (its iat): a terminal moved or registered again refuses older ones.</summary>
    public DateTimeOffset IssuedAt { get; } = issuedAt;

    public ConcurrentDictionary<AuthorizationPolicy, PolicyAuthorizationResult> Authorized { get; } = new();
}
