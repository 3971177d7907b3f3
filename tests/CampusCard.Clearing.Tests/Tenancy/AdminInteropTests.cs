using System.Text.Json;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Tests.Infrastructure;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Tenancy;

/// <summary>The vendor's Admin service (issue 26), called by python3-grpcio: campuses created, configured and read, and refused.</summary>
public class AdminInteropTests : ServiceTestBase
{
    private const string AdminRpc = "campuscard.clearing.v1.Admin/";

    [Fact]
    public async Task A_vendor_creates_configures_and_reads_a_campus_from_python_and_a_campus_role_is_refused()
    {
        var vendor = TestCredentials.Token(CallerRole.Vendor);
        var office = TestCredentials.Token(CallerRole.Office);
        var settings = new
        {
            utc_offset = "-05:00",
            business_day_starts_at = "04:00",
            channels = new Dictionary<string, object> { ["bank"] = new { min_fen = 100, max_fen = 50_000, opens_at = "06:00", closes_at = "22:00" } },
            default_pin = "DEFAULT_PIN_RULE_LAST_SIX_BEFORE_X",
            subsidy_claim_days = 10,
        };

        var results = await ExternalClient.PythonAsync(Address, "calls", new
        {
            calls = new object[]
            {
                Call("CreateCampus", vendor, new { code = "pyc", name = "盘锦校区" }),
                Call("ConfigureCampus", vendor, new { code = "pyc", settings }),
                Call("GetCampus", vendor, new { code = "pyc" }),
                Call("ListCampuses", vendor, new { }),
                Call("CreateCampus", vendor, new { code = "pyc", name = "另一个" }),
                Call("GetCampus", vendor, new { code = "nowhere" }),
                Call("ListCampuses", office, new { }),
                Call("ConfigureCampus", vendor, new { code = "pyc", settings = new { utc_offset = "+15:00" } }),
            },
        });

        Assert.All(results.Take(4), r => Assert.Equal("OK", r.GetProperty("code").GetString()));
        var campusNo = Reply(results[0]).GetProperty("campus_no").GetInt32();
        Assert.True(campusNo > Campuses.Default, $"campus number {campusNo}");
        Assert.Equal((1, "-05:00", "test-vendor"), (Reply(results[1]).GetProperty("version").GetInt32(),
            Reply(results[1]).GetProperty("settings").GetProperty("utc_offset").GetString(), Reply(results[1]).GetProperty("set_by").GetString()));
        var detail = Reply(results[2]);
        Assert.Equal(("盘锦校区", 1), (detail.GetProperty("campus").GetProperty("name").GetString(), detail.GetProperty("version_in_force").GetInt32()));
        var configured = Assert.Single(detail.GetProperty("configurations").EnumerateArray()).GetProperty("settings");
        Assert.Equal(("04:00", "DEFAULT_PIN_RULE_LAST_SIX_BEFORE_X", 10, "50000"), (configured.GetProperty("business_day_starts_at").GetString(),
            configured.GetProperty("default_pin").GetString(), configured.GetProperty("subsidy_claim_days").GetInt32(),
            configured.GetProperty("channels").GetProperty("bank").GetProperty("max_fen").GetString()));
        Assert.Contains(Reply(results[3]).GetProperty("campuses").EnumerateArray(), c => c.GetProperty("code").GetString() == "pyc" && c.GetProperty("campus_no").GetInt32() == campusNo);
        Assert.Equal(("ALREADY_EXISTS", "CAMPUS_EXISTS"), Refusal(results[4]));
        Assert.Equal(("NOT_FOUND", "CAMPUS_NOT_FOUND"), Refusal(results[5]));
        Assert.Equal(("PERMISSION_DENIED", "ROLE_NOT_ALLOWED"), Refusal(results[6]));
        Assert.Equal(("INVALID_ARGUMENT", "INVALID_FIELD"), Refusal(results[7]));
    }

    private static object Call(string method, string token, object request) => new { method = AdminRpc + method, token, request };

    private static JsonElement Reply(JsonElement result) => result.GetProperty("reply");

    private static (string?, string?) Refusal(JsonElement result) =>
        (result.GetProperty("code").GetString(), result.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
}
