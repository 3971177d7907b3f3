using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Tests.Infrastructure;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;

namespace CampusCard.Clearing.Tests.Tenancy;

/// <summary>Campus 1 is named by configuration (Campuses:Default): what was there before campuses is that campus's.</summary>
public class DefaultCampusCodeTests : ServiceTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Campuses:Default", "lingshui")];

    [Fact]
    public async Task The_default_campus_is_named_by_configuration_and_its_code_reaches_the_accounts_a_token_without_one_reaches()
    {
        var account = await OpenFundedAccountAsync(1_500);

        var campuses = await CallAsync(new Admin.AdminClient(As(CallerRole.Vendor)).ListCampusesAsync, new ListCampusesRequest());
        var named = await CallAsync(new Cards.CardsClient(As(CallerRole.Office, "lingshui")).GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });

        Assert.Equal(("lingshui", 1), (Assert.Single(campuses.Campuses).Code, campuses.Campuses[0].CampusNo));
        Assert.Equal(1_500, named.Balances.PurseFen);
    }
}
