using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using CallerRole = CampusCard.Clearing.Domain.CallerRole;

namespace CampusCard.Clearing.Tests.Placement;

/// <summary>
/// The service over two journal databases on the local PostgreSQL server (journal placement, docs/scaling.md): the main one
/// (the class's <see cref="ServiceTestBase.Database"/>), where the default campus is, and "east", numbered 1, where the
/// vendor places campus "north". Both start empty; the service migrates and places them.
/// </summary>
public abstract class TwoJournalDatabasesTestBase : ServiceTestBase
{
    protected const string East = "east";
    protected const string North = "north";

    protected ScratchDatabase EastDatabase { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        EastDatabase = await ScratchDatabase.CreateAsync(migrate: false);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await EastDatabase.DisposeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new($"Journal:Databases:{East}:Number", "1"),
        new($"Journal:Databases:{East}:ConnectionString", EastDatabase.ConnectionString),
    ];

    /// <summary>The service's partitions, which place each campus's in its database.</summary>
    protected Domain.Partitioning Partitions => Service.App.Services.GetRequiredService<IHotStore>().Partitions;

    /// <summary>Campus "north", placed in "east".</summary>
    protected Task<Contracts.V1.Campus> CreateNorthAsync() => CreateCampusAsync(North, "北校区", East);

    /// <summary>A campus's card office (null: the default campus's).</summary>
    protected Cards.CardsClient OfficeOf(string? campus) => new(As(CallerRole.Office, campus));

    /// <summary>Opens the account 2021001 (the same person number at every campus) with 2,000 fen on its purse.</summary>
    protected async Task<Account> OpenFundedAccountAtAsync(string? campus)
    {
        var account = await CallAsync(OfficeOf(campus).OpenAccountAsync,
            new OpenAccountRequest { PersonNo = "2021001", Name = "张三", CardType = CardType.Student, IdNumber = IdNumber });
        await CallAsync(new Funding.FundingClient(As(CallerRole.Office, campus)).CreditAsync,
            new CreditRequest { RequestId = "credit-1", PersonNo = account.PersonNo, AmountFen = 2_000, Source = SystemAccount.Suspense });
        return account;
    }

    /// <summary>Opens merchant CANTEEN-1 (the same merchant id at every campus) and registers its terminal; that terminal.</summary>
    protected async Task<Terminal.TerminalClient> OpenCanteenAtAsync(string? campus)
    {
        var office = OfficeOf(campus);
        await CallAsync(office.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = "CANTEEN-1", Name = "食堂", Category = MerchantCategory.Dining });
        await CallAsync(office.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = TerminalIdOf("CANTEEN-1"), MerchantId = "CANTEEN-1" });
        return CanteenAt(campus);
    }

    /// <summary>The terminal of the campus's CANTEEN-1, on the service as it runs now.</summary>
    protected Terminal.TerminalClient CanteenAt(string? campus) =>
        new(Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf("CANTEEN-1"), "CANTEEN-1", campus)));

    /// <summary>The campus numbers of the rows of a table in a database.</summary>
    protected static async Task<long[]> CampusesInAsync(ScratchDatabase database, string table) =>
        [.. (await database.RowsAsync($"SELECT DISTINCT campus_no::bigint FROM {table} ORDER BY 1")).Select(r => (long)r[0])];
}
