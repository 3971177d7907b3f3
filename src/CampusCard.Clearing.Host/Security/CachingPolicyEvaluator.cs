using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// ASP.NET Core's policy evaluator, remembering for each token's principal what each policy decided: a role and a
/// policy decide the same way every time, so a terminal's calls after its first cost a lookup, not an evaluation.
/// </summary>
internal sealed class CachingPolicyEvaluator(IAuthorizationService authorization) : IPolicyEvaluator
{
    private readonly PolicyEvaluator _inner = new(authorization);

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context) => _inner.AuthenticateAsync(policy, context);

    public async Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        if (context.User is not CallerPrincipal principal) return await _inner.AuthorizeAsync(policy, authenticationResult, context, resource);
        if (principal.Authorized.TryGetValue(policy, out var known)) return known;
        var result = await _inner.AuthorizeAsync(policy, authenticationResult, context, resource);
        principal.Authorized.TryAdd(policy, result);
        return result;
    }
}
