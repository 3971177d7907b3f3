using CampusCard.Clearing.Domain;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// Checks, on every call, what a valid signature cannot: that the role is one of ours and that a
/// terminal's token names a live registration of that terminal to that merchant. A revoked terminal's
/// token is refused at once, however long it was issued for.
/// </summary>
internal sealed class CallerTokenEvents(Directory directory) : JwtBearerEvents
{
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var role = principal.FindFirst(TokenClaims.Role)?.Value;
        if (!Caller.TryParseRole(role, out var callerRole))
        {
            context.Fail($"the bearer token's role '{role}' is not one of {string.Join(", ", Enum.GetValues<CallerRole>().Select(Caller.RoleName))}");
            return;
        }
        if (string.IsNullOrEmpty(principal.FindFirst(TokenClaims.Subject)?.Value))
        {
            context.Fail("the bearer token names no subject (sub)");
            return;
        }
        if (callerRole != CallerRole.Terminal) return;
        var terminalId = principal.FindFirst(TokenClaims.TerminalId)?.Value ?? "";
        var merchantId = principal.FindFirst(TokenClaims.MerchantId)?.Value ?? "";
        var registration = terminalId.Length == 0 ? null : await directory.TerminalAsync(terminalId, context.HttpContext.RequestAborted);
        if (registration is null)
            context.Fail($"terminal '{terminalId}' is not registered: the card office registers it to its merchant (Cards.RegisterTerminal)");
        else if (registration.IsRevoked)
            context.Fail($"terminal {terminalId} was revoked by the card office");
        else if (registration.MerchantId != merchantId)
            context.Fail($"terminal {terminalId} is registered to merchant {registration.MerchantId}, not to '{merchantId}'");
    }
}
