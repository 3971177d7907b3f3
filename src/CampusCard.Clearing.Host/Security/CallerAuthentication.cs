using CampusCard.Clearing.Domain;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Security;

/// <summary>Bearer tokens (JWT, ES256) for every call, and the role each method allows.</summary>
internal static class CallerAuthentication
{
    /// <summary>Authentication and authorization on <see cref="AuthOptions"/> (bound and validated with the other settings).</summary>
    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, TimeProvider, Directory>((jwt, auth, clock, directory) =>
            {
                var options = auth.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    IssuerSigningKey = SigningKeys.Load(options.PublicKeyPath),
                    ValidAlgorithms = [SigningKeys.Algorithm],
                    RoleClaimType = TokenClaims.Role,
                    NameClaimType = TokenClaims.Subject,
                    ClockSkew = TimeSpan.FromMinutes(1),
                };
                jwt.Events = new CallerTokenEvents(directory, clock, options);
            });
        services.AddAuthorization(authorization =>
        {
            authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            authorization.AddPolicy(Roles.OperatorPolicy, policy => policy.RequireRole(Roles.Operator));
        });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.Policy.IPolicyEvaluator, CachingPolicyEvaluator>();
        return services;
    }

    /// <summary>The authenticated caller of this call (the fallback policy guarantees there is one).</summary>
    public static Caller Caller(this ServerCallContext context) =>
        ((CallerPrincipal)context.GetHttpContext().User).Caller;
}
