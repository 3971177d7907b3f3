namespace CampusCard.Clearing.Host.Security;

/// <summary>
/// The role names tokens carry, for [Authorize(Roles = ...)] on the service methods: <see cref="Domain.CallerRole"/>'s
/// names in lower case (a test pins them to it).
/// </summary>
internal static class Roles
{
    public const string Terminal = "terminal";
    public const string Kiosk = "kiosk";
    public const string Bank = "bank";
    public const string Payments = "payments";
    public const string Office = "office";
    public const string Finance = "finance";
    public const string Operator = "operator";
    public const string Vendor = "vendor";

    /// <summary>The policy of the operator's endpoints (reflection, metrics).</summary>
    public const string OperatorPolicy = "operator";
}
