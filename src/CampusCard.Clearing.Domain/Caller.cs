namespace CampusCard.Clearing.Domain;

/// <summary>
/// Who calls the engine (README, "Callers, roles and credentials"). Every RPC is allowed to named roles only; the
/// role is stored with each transaction it asked for, so finance can ask who did what.
/// </summary>
public enum CallerRole : short
{
    /// <summary>A POS terminal (canteen, shower 水控, laundry, supermarket), registered to one merchant.</summary>
    Terminal = 1,
    /// <summary>A self-service kiosk (自助终端机 / 圈存机).</summary>
    Kiosk = 2,
    /// <summary>The bank gateway (银校转账).</summary>
    Bank = 3,
    /// <summary>The e-payment platform (电子支付平台) and the WeChat service account.</summary>
    Payments = 4,
    /// <summary>The card office (卡务, 服务大厅).</summary>
    Office = 5,
    /// <summary>Finance (财务): read-only.</summary>
    Finance = 6,
    /// <summary>Whoever runs the service: health, reflection, metrics.</summary>
    Operator = 7,
    /// <summary>The operator of a deployment of many campuses: creates and configures campuses, touches no money.</summary>
    Vendor = 8,
}

/// <summary>
/// An authenticated caller: its role, the subject its credential names, for a terminal the terminal and merchant it
/// is registered as, and the campus it belongs to (<see cref="Campuses.None"/> for the vendor's): every request it
/// makes is decided within that campus.
/// </summary>
public sealed record Caller(CallerRole Role, string Subject, string TerminalId = "", string MerchantId = "", short Campus = Campuses.Default)
{
    /// <summary>The engine itself (deadlines, sweeps, recovery), for what no caller asked.</summary>
    public static readonly Caller System = new(CallerRole.Operator, "system");

    private static readonly Dictionary<string, CallerRole> ByName = Enum.GetValues<CallerRole>().ToDictionary(RoleName, StringComparer.Ordinal);

    public static string RoleName(CallerRole role) => role.ToString().ToLowerInvariant();

    /// <summary>A role by its lower-case name, as tokens carry it ("terminal", "office", ...).</summary>
    public static bool TryParseRole(string? name, out CallerRole role) => ByName.TryGetValue(name ?? "", out role);
}
