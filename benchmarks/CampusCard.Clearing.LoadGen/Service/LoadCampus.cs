using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
using static CampusCard.Clearing.LoadGen.Service.ServiceSetup;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// One campus of the run (--campuses): <paramref name="Index"/> 0 is the default campus (number 1, its tokens name no
/// campus, the deployment's time zone), the others loadgen-2.. as the vendor created them, each in a time zone of its own.
/// </summary>
public sealed record LoadCampus(int Index, string? Code, short No)
{
    public static readonly LoadCampus Default = new(0, null, CampusCard.Clearing.Domain.Campuses.Default);

    /// <summary>The created campuses' UTC offsets, in turn: none the deployment's default (+08:00), so business days and hours differ.</summary>
    private static readonly string[] UtcOffsets = ["+05:00", "+09:00", "+07:00", "+05:30", "+06:00", "+10:00", "+03:00", "-05:00", "+00:00", "+12:00", "-08:00"];

    /// <summary>The code of campus <paramref name="index"/>; null for the default campus.</summary>
    public static string? CodeOf(int index) => index == 0 ? null : $"loadgen-{index + 1}";

    /// <summary>The UTC offset the setup gives campus <paramref name="index"/>; null: the deployment's (the default campus).</summary>
    public static string? UtcOffsetOf(int index) => index == 0 ? null : UtcOffsets[(index - 1) % UtcOffsets.Length];

    /// <summary>How checks and setup lines name it: empty for a run of one campus, as before campuses.</summary>
    public string Label(LoadOptions options) => options.Campuses == 1 ? "" : $"campus {Code ?? "default"}: ";

    /// <summary>
    /// The default campus and --campuses - 1 more, created with the vendor's token (Admin.CreateCampus) and given their UTC
    /// offsets (Admin.ConfigureCampus). A rerun finds them: the same code and name answer the campus as it is, and a campus
    /// whose settings in force have its offset already is left as it is.
    /// </summary>
    public static async Task<LoadCampus[]> CreateAsync(GrpcChannel channel, Credentials credentials, LoadOptions options, CancellationToken cancellationToken)
    {
        var campuses = new LoadCampus[options.Campuses];
        campuses[0] = Default;
        var admin = new Admin.AdminClient(channel);
        var vendor = credentials.Vendor();
        for (var k = 1; k < campuses.Length; k++)
        {
            var request = new CreateCampusRequest { Code = CodeOf(k), Name = $"LoadGen campus {k + 1}" };
            var campus = await admin.CreateCampusAsync(request, Call(vendor, cancellationToken));
            await ConfigureAsync(admin, vendor, campus.Code, UtcOffsetOf(k)!, cancellationToken);
            campuses[k] = new LoadCampus(k, campus.Code, (short)campus.CampusNo);
        }
        return campuses;
    }

    private static async Task ConfigureAsync(Admin.AdminClient admin, Metadata vendor, string code, string utcOffset, CancellationToken cancellationToken)
    {
        var detail = await admin.GetCampusAsync(new GetCampusRequest { Code = code }, Call(vendor, cancellationToken));
        var inForce = detail.Configurations.FirstOrDefault(c => c.Version == detail.VersionInForce);
        if (inForce?.Settings.UtcOffset == utcOffset) return;
        var settings = new CampusSettings { UtcOffset = utcOffset };
        await admin.ConfigureCampusAsync(new ConfigureCampusRequest { Code = code, Settings = settings }, Call(vendor, cancellationToken));
    }
}
