using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// Bearer tokens signed with the service's key (--key), as call headers: the card office's, the kiosk's and the bank
/// gateway's for the setup, the e-payment platform's for payments, and one per simulated terminal naming the terminal and
/// the merchant it is registered to; each naming <paramref name="campus"/> (null: the default campus, whose tokens name
/// none), and the vendor's, which names none. Headers are only read by the client, so one instance serves every call of
/// its caller.
/// </summary>
public sealed class Credentials(TokenIssuer issuer, string? campus = null)
{
    // Longer than any run; the service checks a terminal's registration on every call whatever the token's lifetime.
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public static Credentials Load(string keyPath) => new(new TokenIssuer(SigningKeys.Load(keyPath)));

    /// <summary>The same callers at <paramref name="loadCampus"/>.</summary>
    public Credentials At(LoadCampus loadCampus) => new(issuer, loadCampus.Code);

    public Metadata Office() => Bearer(new Caller(CallerRole.Office, "loadgen"));

    public Metadata Kiosk() => Bearer(new Caller(CallerRole.Kiosk, "loadgen-kiosk"));

    public Metadata Bank() => Bearer(new Caller(CallerRole.Bank, "loadgen-bank"));

    public Metadata Payments() => Bearer(new Caller(CallerRole.Payments, "loadgen-payments"));

    public Metadata Terminal(string terminalId, string merchantId) => Bearer(new Caller(CallerRole.Terminal, $"terminal:{terminalId}", terminalId, merchantId));

    public Metadata Vendor() => new() { { "authorization", "Bearer " + issuer.Issue(new Caller(CallerRole.Vendor, "loadgen-vendor"), Lifetime) } };

    private Metadata Bearer(Caller caller) => new() { { "authorization", "Bearer " + issuer.Issue(caller, Lifetime, campus: campus) } };
}
