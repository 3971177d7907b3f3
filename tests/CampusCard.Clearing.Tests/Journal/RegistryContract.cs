using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;

namespace CampusCard.Clearing.Tests.Journal;

/// <summary>The registry kept beside the journal (IRegistry), against each provider present.</summary>
public abstract class RegistryContract : StoreTestBase
{
    [ProviderFact]
    public async Task The_registry_keeps_one_account_per_person()
    {
        var first = await Registry.OpenHolderAsync(Campuses.Default, "2021001", "张三", CardType.Student, "id-hash", Now, default);
        var second = await Registry.OpenHolderAsync(Campuses.Default, "2021001", "Someone Else", CardType.Staff, "", Now, default);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(first, await Registry.FindHolderAsync(Campuses.Default, "2021001", default));
        Assert.Equal(first, await Registry.GetHolderAsync(first!.Id, default));
        Assert.Equal("id-hash", await Registry.IdNumberHashAsync(first.Id, default));
        Assert.Null(await Registry.FindHolderAsync(Campuses.Default, "2021002", default));
        Assert.Equal(3L, await Database.ScalarAsync<long>($"SELECT count(*) FROM accounts WHERE owner = {first.Id} AND kind IN (1, 2, 3)"));
    }

    [ProviderFact]
    public async Task A_card_number_once_issued_names_its_holder_for_ever()
    {
        var holder = (await Registry.OpenHolderAsync(Campuses.Default, "2021001", "张三", CardType.Student, "", Now, default))!;
        var other = (await Registry.OpenHolderAsync(Campuses.Default, "2021002", "李四", CardType.Staff, "", Now, default))!;

        var first = await Registry.IssueCardAsync(Campuses.Default, "100001", holder.Id, Now, default);
        var second = await Registry.IssueCardAsync(Campuses.Default, "100002", holder.Id, Now.AddDays(1), default);
        var taken = await Registry.IssueCardAsync(Campuses.Default, "100001", other.Id, Now, default);

        Assert.Equal(new IssuedCard("100001", holder.Id, "2021001", Now), first);
        Assert.Equal(first, taken);
        Assert.Equal(first, await Registry.FindCardAsync(Campuses.Default, "100001", default));
        Assert.Null(await Registry.FindCardAsync(Campuses.Default, "100003", default));
        Assert.Equal([first, second], await Registry.CardsOfAsync(holder.Id, default));
        Assert.Empty(await Registry.CardsOfAsync(other.Id, default));
        Assert.Equal(["100001", "100002"], (await Registry.AllCardsAsync(default)).Select(c => c.CardNo).Order());
    }

    [ProviderFact]
    public async Task A_secret_set_by_an_older_transaction_never_replaces_a_newer_one()
    {
        var holder = (await Registry.OpenHolderAsync(Campuses.Default, "2021001", "张三", CardType.Student, "", Now, default))!;

        await Registry.SetSecretAsync(holder.Id, SecretKind.Pin, "hash-of-5", setBy: 5, Now, default);
        await Registry.SetSecretAsync(holder.Id, SecretKind.Pin, "hash-of-3", setBy: 3, Now, default);
        await Registry.SetSecretAsync(holder.Id, SecretKind.PaymentPassword, "pay-hash", setBy: 4, Now, default);

        Assert.Equal(("hash-of-5", 5L), await Registry.SecretAsync(holder.Id, SecretKind.Pin, default));
        Assert.Equal(("pay-hash", 4L), await Registry.SecretAsync(holder.Id, SecretKind.PaymentPassword, default));
        Assert.Null(await Registry.SecretAsync(holder.Id, SecretKind.DefaultPin, default));
    }

    [ProviderFact]
    public async Task A_merchant_id_is_taken_once()
    {
        var merchant = await Registry.OpenMerchantAsync(Campuses.Default, "canteen-1", "一食堂", MerchantCategory.Dining, Now, default);

        Assert.Null(await Registry.OpenMerchantAsync(Campuses.Default, "canteen-1", "Another", MerchantCategory.Supermarket, Now, default));
        Assert.Equal(merchant, await Registry.FindMerchantAsync(Campuses.Default, "canteen-1", default));
        Assert.Equal(1L, await Database.ScalarAsync<long>($"SELECT count(*) FROM accounts WHERE kind = 4 AND owner = {merchant!.No}"));
    }

    [ProviderFact]
    public async Task A_terminal_is_registered_moved_revoked_once_and_registered_again_refusing_older_tokens()
    {
        var merchant = (await Registry.OpenMerchantAsync(Campuses.Default, "canteen-1", "一食堂", MerchantCategory.Dining, Now, default))!;
        var other = (await Registry.OpenMerchantAsync(Campuses.Default, "shop-1", "超市", MerchantCategory.Supermarket, Now, default))!;

        var first = await Registry.RegisterTerminalAsync(Campuses.Default, "T0042", merchant.No, "office:alice", Now, default);
        var same = await Registry.RegisterTerminalAsync(Campuses.Default, "T0042", merchant.No, "office:bob", Now.AddMinutes(1), default);
        var moved = await Registry.RegisterTerminalAsync(Campuses.Default, "T0042", other.No, "office:bob", Now.AddMinutes(2), default);
        var revoked = await Registry.RevokeTerminalAsync(Campuses.Default, "T0042", "office:alice", Now.AddHours(1), default);
        var revokedAgain = await Registry.RevokeTerminalAsync(Campuses.Default, "T0042", "office:bob", Now.AddHours(2), default);
        var returned = await Registry.RegisterTerminalAsync(Campuses.Default, "T0042", other.No, "office:alice", Now.AddHours(3), default);

        var registration = new TerminalRegistration("T0042", merchant.No, "canteen-1", Now, null);
        var atShop = new TerminalRegistration("T0042", other.No, "shop-1", Now.AddMinutes(2), null, Now.AddMinutes(2));
        Assert.Equal((registration, true), first);
        Assert.Equal((registration, false), same);
        Assert.Equal((atShop, true), moved);
        Assert.Equal(atShop with { RevokedAt = Now.AddHours(1) }, revoked);
        Assert.Equal(revoked, revokedAgain);
        Assert.Equal((atShop with { RegisteredAt = Now.AddHours(3), TokensFrom = Now.AddHours(3) }, true), returned);
        Assert.Equal(returned.Registration, await Registry.FindTerminalAsync(Campuses.Default, "T0042", default));
        Assert.True(returned.Registration.Predates(Now.AddHours(3).AddSeconds(-1)));
        Assert.False(returned.Registration.Predates(Now.AddHours(3)));
        Assert.Null(await Registry.RevokeTerminalAsync(Campuses.Default, "T9999", "office:alice", Now, default));
    }

    [ProviderFact]
    public async Task A_subsidy_batch_keeps_its_first_upload()
    {
        var first = new SubsidyBatch("batch-2026-09", Now.AddDays(30), "伙食补贴", "office:alice", Now);

        var stored = await Registry.OpenSubsidyBatchAsync(first, default);
        var again = await Registry.OpenSubsidyBatchAsync(first with { Deadline = Now.AddDays(60), CreatedAt = Now.AddDays(1) }, default);

        Assert.Equal(first, stored);
        Assert.Equal(first, again);
        Assert.Equal(first, await Registry.FindSubsidyBatchAsync(Campuses.Default, "batch-2026-09", default));
        Assert.Null(await Registry.FindSubsidyBatchAsync(Campuses.Default, "batch-2026-10", default));
    }

    [ProviderFact]
    public async Task A_journal_database_is_placed_once_and_numbers_its_holders_and_merchants_in_its_range()
    {
        var before = await Database.Migrator.NumberAsync();

        var placed = await Database.Migrator.PlaceAsync(3);
        var again = await Database.Migrator.PlaceAsync(5);
        var holder = await Registry.OpenHolderAsync(Campuses.Default, "2021001", "张三", CardType.Student, "", Now, default);
        var merchant = await Registry.OpenMerchantAsync(Campuses.Default, "CANTEEN-1", "一食堂", MerchantCategory.Dining, Now, default);

        Assert.Equal((null, (short)3, (short)3), (before, placed, again));
        Assert.Equal((short)3, await Database.Migrator.NumberAsync());
        Assert.Equal(3 * JournalPlacement.IdSpan + 1, holder!.Id);
        Assert.Equal(3 * JournalPlacement.IdSpan + 1, merchant!.No);
        Assert.Equal(3, JournalPlacement.DatabaseOfId(holder.Id));
    }

    [ProviderFact]
    public async Task A_database_that_holds_holders_is_placed_only_as_the_main_one_and_keeps_its_numbers()
    {
        var first = (await Registry.OpenHolderAsync(Campuses.Default, "2021001", "张三", CardType.Student, "", Now, default))!;

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Database.Migrator.PlaceAsync(2));
        var placed = await Database.Migrator.PlaceAsync(0);
        var second = (await Registry.OpenHolderAsync(Campuses.Default, "2021002", "李四", CardType.Student, "", Now, default))!;

        Assert.Equal((short)0, placed);
        Assert.Equal(first.Id + 1, second.Id);
    }

    [ProviderFact]
    public async Task A_campus_is_created_in_its_journal_database_and_recorded_in_that_one_once()
    {
        var north = (await Registry.CreateCampusAsync("north", "北校区", 1, "vendor", Now, default))!;
        var elsewhere = new Campus(9, "east-9", "东校区", Now, 1);

        await Registry.PlaceCampusAsync(elsewhere, "vendor", default);
        await Registry.PlaceCampusAsync(elsewhere, "vendor", default);
        var holder = await Registry.OpenHolderAsync(9, "2021001", "张三", CardType.Student, "", Now, default);

        Assert.Equal(("north", (short)1), (north.Code, north.JournalDatabase));
        Assert.Equal([Campuses.Default, north.No, (short)9], (await Registry.CampusesAsync(default)).Select(c => c.No));
        Assert.Equal(elsewhere, (await Registry.CampusesAsync(default)).Single(c => c.No == 9));
        Assert.Equal((short)9, holder!.Campus);
    }
}

public sealed class PostgresRegistryContractTests : RegistryContract;

[OnSqlServer]
public sealed class SqlServerRegistryContractTests : RegistryContract
{
    protected override async Task<ScratchJournal> CreateJournalAsync() => await ScratchSqlServerDatabase.CreateAsync();
}
