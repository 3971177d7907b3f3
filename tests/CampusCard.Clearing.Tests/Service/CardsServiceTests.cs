using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Service;

public class CardsServiceTests : ServiceTestBase
{
    [Fact]
    public async Task Opening_an_account_issues_a_live_card_with_empty_balances()
    {
        var account = await OpenAccountAsync("2021001");

        Assert.Equal(Domain.CardNumbers.Generate("open:2021001"), account.CardNo);
        Assert.Equal(("2021001", "李四", CardType.Student, CardState.Active, 0L),
            (account.PersonNo, account.Name, account.CardType, account.CardState, account.Balances.PurseFen));
    }

    [Fact]
    public async Task A_person_has_one_account_and_opening_it_again_answers_it()
    {
        var first = await OpenAccountAsync("2021002");

        var again = await OpenAccountAsync("2021002");
        var e = await AssertStatusAsync(StatusCode.AlreadyExists, () => CallAsync(Cards.OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "2021002", Name = "另一人", CardType = CardType.Student, IdNumber = IdNumber }));
        var otherCard = await AssertStatusAsync(StatusCode.AlreadyExists, () => CallAsync(Cards.OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "2021002", Name = "李四", CardType = CardType.Student, IdNumber = IdNumber, CardNo = "700000000001" }));

        Assert.Equal(first.CardNo, again.CardNo);
        Assert.Contains("2021002", e.Status.Detail);
        Assert.Contains("2021002", otherCard.Status.Detail);
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM transactions WHERE kind = 6"));
    }

    [Fact]
    public async Task An_account_is_found_by_person_or_card()
    {
        var account = await OpenFundedAccountAsync(500);

        var byPerson = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = account.PersonNo });
        var byCard = await CallAsync(Cards.GetAccountAsync, new GetAccountRequest { CardNo = account.CardNo });

        Assert.Equal(byPerson, byCard);
        Assert.Equal(500L, byCard.Balances.PurseFen);
        await AssertStatusAsync(StatusCode.NotFound, () => CallAsync(Cards.GetAccountAsync, new GetAccountRequest { PersonNo = "nobody" }));
        await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Cards.GetAccountAsync, new GetAccountRequest()));
    }

    [Fact]
    public async Task A_merchant_id_is_registered_once()
    {
        var merchant = await OpenMerchantAsync("CANTEEN-1");

        Assert.Equal(("CANTEEN-1", MerchantCategory.Dining), (merchant.MerchantId, merchant.Category));
        await AssertStatusAsync(StatusCode.AlreadyExists, () => OpenMerchantAsync("CANTEEN-1"));
    }

    [Fact]
    public async Task Malformed_card_office_requests_are_invalid()
    {
        var noType = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Cards.OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "2021003", Name = "王五" }));
        var noName = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Cards.OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "2021003", Name = " ", CardType = CardType.Staff }));
        var badCategory = await AssertStatusAsync(StatusCode.InvalidArgument, () => CallAsync(Cards.OpenMerchantAsync,
            new OpenMerchantRequest { MerchantId = "M9", Name = "打印店", Category = (MerchantCategory)42 }));

        Assert.StartsWith("card_type must be one of", noType.Status.Detail);
        Assert.Equal("name is required", noName.Status.Detail);
        Assert.StartsWith("category must be one of", badCategory.Status.Detail);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM holders"));
    }
}
