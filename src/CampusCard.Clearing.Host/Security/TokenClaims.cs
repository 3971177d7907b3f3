namespace CampusCard.Clearing.Host.Security;

/// <summary>The claims of a CampusCard token, by their names on the wire.</summary>
public static class TokenClaims
{
    public const string Role = "role";
    public const string Subject = "sub";
    public const string TerminalId = "terminal_id";
    public const string MerchantId = "merchant_id";

    /// <summary>The code of the campus the caller belongs to; absent: the default campus (and the vendor, who has none).</summary>
    public const string Campus = "campus";
}
