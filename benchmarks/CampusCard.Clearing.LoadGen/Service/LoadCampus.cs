using CampusCard.Clearing.Contracts.V1;
using Grpc.Net.Client;
using static CampusCard.Clearing.LoadGen.Service.ServiceSetup;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// One campus of the run (--campuses): <paramref name="Index"/> 0 is the default campus (number 1, its tokens name no
/// campus), the others loadgen-2.. as the vendor created them.
/// </summary>
public sealed record LoadCampus(int Index, string? Code, short No)
{
    public static readonly LoadCampus Default = new(0, null, CampusCard.Clearing.Domain.Campuses.Default);

    /// <summary>How checks and setup lines name it: empty for a run of one campus, as before campuses.</summary>
    public string Label(LoadOptions options) => options.Campuses == 1 ? "" : $"campus {Code ?? "default"}: ";

    /// <summary>
    /// The default campus and --campuses - 1 more, created with the vendor's token (Admin.CreateCampus): a rerun finds them,
    /// since the same code and name answer the campus as it is.
    /// </summary>
    public static async Task<LoadCampus[]> CreateAsync(GrpcChannel channel, Credentials credentials, LoadOptions options, CancellationToken cancellationToken)
    {
        var campuses = new LoadCampus[options.Campuses];
        campuses[0] = Default;
        var admin = new Admin.AdminClient(channel);
        for (var k = 1; k < campuses.Length; k++)
        {
            var request = new CreateCampusRequest { Code = $"loadgen-{k + 1}", Name = $"LoadGen campus {k + 1}" };
            var campus = await admin.CreateCampusAsync(request, Call(credentials.Vendor(), cancellationToken));
            campuses[k] = new LoadCampus(k, campus.Code, (short)campus.CampusNo);
        }
        return campuses;
    }
}
