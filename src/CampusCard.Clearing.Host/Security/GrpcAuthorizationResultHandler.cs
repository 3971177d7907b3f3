using System.Text;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Host.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// Answers a gRPC call that authentication or authorization refused with a gRPC status, its reason and its ErrorInfo
/// (UNAUTHENTICATED, PERMISSION_DENIED; UNAVAILABLE when what authentication reads could not be read), not a bare
/// HTTP 401/403 that clients report as "bad gRPC response".
/// Nothing reaches the service method, so nothing changes. Each refusal is logged at information with its reason (never
/// the token).
/// </summary>
internal sealed class GrpcAuthorizationResultHandler(ILogger<GrpcAuthorizationResultHandler> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        if (!grpc || authorizeResult.Succeeded) return _default.HandleAsync(next, context, policy, authorizeResult);
        if (authorizeResult.Challenged) return RefuseUnauthenticatedAsync(context);
        return RefuseAsync(context, WhyForbidden(context, policy));
    }

    private async Task RefuseUnauthenticatedAsync(HttpContext context)
    {
        // The handler remembers its result for the request: this asks again for the reason, it does not validate again.
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        await RefuseAsync(context, result.Failure as RefusedException ?? WhyUnauthenticated(result.Failure));
    }

    private static RefusedException WhyUnauthenticated(Exception? failure) => failure switch
    {
        null => new(ErrorReason.CredentialMissing, "no credential: send the metadata 'authorization: Bearer <token>'"),
        SecurityTokenExpiredException expired => new(ErrorReason.TokenExpired, $"the bearer token expired at {expired.Expires:u}"),
        SecurityTokenNotYetValidException => new(ErrorReason.TokenExpired, "the bearer token is not valid yet"),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            new(ErrorReason.TokenInvalid, "the bearer token's signature does not verify with this service's key"),
        SecurityTokenInvalidIssuerException or SecurityTokenInvalidAudienceException => new(ErrorReason.TokenInvalid, "the bearer token was issued for another service"),
        SecurityTokenMalformedException or ArgumentException => new(ErrorReason.TokenInvalid, "the bearer token is not a well-formed JWT"),
        SecurityTokenException => new(ErrorReason.TokenInvalid, "the bearer token is not valid: " + failure.GetType().Name),
        _ => new(ErrorReason.TokenInvalid, failure.Message),
    };

    private static RefusedException WhyForbidden(HttpContext context, AuthorizationPolicy policy)
    {
        var role = context.User.FindFirst(TokenClaims.Role)?.Value ?? "?";
        var allowed = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct();
        return new RefusedException(ErrorReason.RoleNotAllowed, $"the role '{role}' may not call {context.Request.Path}; allowed: {string.Join(", ", allowed)}",
            new Dictionary<string, string> { ["role"] = role, ["method"] = context.Request.Path.ToString() });
    }

    /// <summary>A refusal answered by gRPC's trailers-only response (headers as trailers), logged with its reason, never the token.</summary>
    private Task RefuseAsync(HttpContext context, RefusedException refused)
    {
        var status = RefusalStatus.Of(refused);
        Log.CallRefused(logger, context.Request.Path, (Grpc.Core.StatusCode)status.Code, refused.Message, context.Connection.RemoteIpAddress?.ToString() ?? "?");
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(refused.Message);
        response.Headers[RefusalStatus.DetailsHeaderName] = RefusalStatus.DetailsHeader(status);
        return Task.CompletedTask;
    }

    /// <summary>The gRPC wire form of a status message: UTF-8, printable ASCII as is except '%'.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') text.Append((char)b);
            else text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
