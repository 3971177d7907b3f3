using System.Buffers.Text;
using System.Text.Json;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>
/// The campus a bearer token names (its <c>campus</c> claim), read without checking the signature (the service checks
/// it): --campus makes sure a command acts on the campus meant before anything is sent.
/// </summary>
internal static class TokenCampus
{
    private const string VendorRole = "vendor";

    /// <summary>Refuses <paramref name="token"/> unless it names <paramref name="expected"/> (null: nothing to check).</summary>
    public static void Require(string token, string? expected)
    {
        if (string.IsNullOrWhiteSpace(expected)) return;
        var claims = Claims(token) ?? throw Wrong($"--campus {expected}: the token is not a JWT whose campus claim can be read");
        var campus = claims.TryGetProperty("campus", out var named) ? named.ToString() : null;
        if (claims.TryGetProperty("role", out var role) && role.ToString() == VendorRole)
            throw Wrong($"--campus {expected}: a vendor's token names no campus (the vendor acts on campuses with campus create and list); leave out --campus");
        if (campus is null)
            throw Wrong($"--campus {expected}: the token names no campus, so it acts on the deployment's default campus (campus 1), whose code it does not say; " +
                $"to check it, use a token issued with --campus CODE, or leave out --campus");
        if (campus != expected.Trim())
            throw Wrong($"--campus {expected}: the token is of campus '{campus}', and its campus claim decides where a call acts; use a token issued with --campus {expected}");
    }

    private static JsonElement? Claims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object ? payload.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static CliFailure Wrong(string message) => new(ExitCodes.Denied, "WRONG_CAMPUS", message);
}
