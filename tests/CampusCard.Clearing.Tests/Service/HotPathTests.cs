using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Testing;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// What a debit costs besides its decision and its journal row: no registry lookup for a card issued; one for a card
/// the hot store does not index, then none for that card for a while.
/// </summary>
public class HotPathTests : ServiceTestBase
{
    private CountingRegistry? _registry;

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<IRegistry>(provider => _registry = new CountingRegistry(new PostgresRegistry(provider.GetRequiredService<NpgsqlDataSource>())));
    }

    [Fact]
    public async Task Debits_reversals_and_balance_reads_look_nothing_up_in_the_registry()
    {
        var accounts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => OpenFundedAccountAsync(1_000)));
        var merchant = await OpenMerchantAsync();
        var terminal = TerminalOf(merchant.MerchantId);
        await CallAsync(terminal.GetBalanceAsync, new GetBalanceRequest { CardNo = accounts[0].CardNo });
        var before = _registry!.Lookups;

        foreach (var account in accounts)
        {
            var debit = Debit(account, merchant, 100);
            await CallAsync(terminal.DebitAsync, debit);
            await CallAsync(terminal.ReverseAsync, new ReverseRequest { RequestId = NextId("rev"), OriginalRequestId = debit.RequestId, CardNo = account.CardNo });
            await CallAsync(terminal.GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo });
        }

        Assert.Equal(before, _registry.Lookups);
    }

    [Fact]
    public async Task A_card_nobody_holds_is_asked_of_the_registry_once_in_a_while_not_at_every_swipe()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var terminal = TerminalOf(merchant.MerchantId);
        var before = _registry!.CardLookups;

        for (var i = 0; i < 20; i++) await CallAsync(terminal.DebitAsync, Debit(account, merchant, 1).With(d => d.CardNo = $"NEVER-ISSUED-{i % 2}"));
        var withinTheWindow = _registry.CardLookups - before;
        Clock.Advance(CampusCard.Clearing.Engine.Directory.NoCardTtl);
        await CallAsync(terminal.DebitAsync, Debit(account, merchant, 1).With(d => d.CardNo = "NEVER-ISSUED-0"));

        Assert.Equal((2, 3), (withinTheWindow, _registry.CardLookups - before));
    }

    [Fact]
    public async Task A_card_whose_index_entry_redis_lost_is_found_in_the_registry_and_indexed_again()
    {
        // Another instance, started before the card is issued (an instance knows the cards issued before its start), takes
        // the debit after a failover lost the card's index entry.
        await using var other = await InProcessService.StartAsync(Settings(), ConfigureServices, CreateChannel);
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var (index, field) = HotProbe.CardIndexEntry(Prefix, account.CardNo);
        await LocalServers.Redis.GetDatabase().HashDeleteAsync(index, field);
        var terminal = new Terminal.TerminalClient(other.Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf(merchant.MerchantId), merchant.MerchantId)));

        var reply = await CallAsync(terminal.DebitAsync, Debit(account, merchant, 300));

        Assert.Equal((Outcome.Approved, 700L), (reply.Outcome, reply.BalanceFen));
        Assert.Equal(account.PersonNo, (string?)await LocalServers.Redis.GetDatabase().HashGetAsync(index, field));
        await AssertInvariantsAsync();
    }

    /// <summary>The real registry, counting its lookups.</summary>
    private sealed class CountingRegistry(IRegistry inner) : IRegistry
    {
        private int _lookups;

        public int Lookups => Volatile.Read(ref _lookups);

        private int _cardLookups;

        public int CardLookups => Volatile.Read(ref _cardLookups);

        private T Count<T>(T result)
        {
            Interlocked.Increment(ref _lookups);
            return result;
        }

        public Task<Domain.Campus?> CreateCampusAsync(string code, string name, short journalDatabase, string createdBy, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.CreateCampusAsync(code, name, journalDatabase, createdBy, now, cancellationToken);

        public Task PlaceCampusAsync(Domain.Campus campus, string createdBy, CancellationToken cancellationToken) =>
            inner.PlaceCampusAsync(campus, createdBy, cancellationToken);

        public Task<IReadOnlyList<Domain.Campus>> CampusesAsync(CancellationToken cancellationToken) => inner.CampusesAsync(cancellationToken);

        public Task<Domain.CampusConfiguration> ConfigureCampusAsync(short campus, DateTimeOffset effectiveFrom, Domain.CampusSettings settings, string setBy,
            DateTimeOffset now, CancellationToken cancellationToken) => inner.ConfigureCampusAsync(campus, effectiveFrom, settings, setBy, now, cancellationToken);

        public Task<IReadOnlyList<Domain.CampusConfiguration>> CampusConfigurationsAsync(CancellationToken cancellationToken) =>
            inner.CampusConfigurationsAsync(cancellationToken);

        public Task<Domain.Holder?> OpenHolderAsync(short campus, string personNo, string name, Domain.CardType cardType, string idNumberHash, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.OpenHolderAsync(campus, personNo, name, cardType, idNumberHash, now, cancellationToken);

        public Task<string?> IdNumberHashAsync(long holderId, CancellationToken cancellationToken) => Count(inner.IdNumberHashAsync(holderId, cancellationToken));

        public Task<Domain.IssuedCard> IssueCardAsync(short campus, string cardNo, long holderId, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.IssueCardAsync(campus, cardNo, holderId, now, cancellationToken);

        public Task ReleaseCardAsync(short campus, string cardNo, long holderId, CancellationToken cancellationToken) => inner.ReleaseCardAsync(campus, cardNo, holderId, cancellationToken);

        public Task<Domain.IssuedCard?> FindCardAsync(short campus, string cardNo, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _cardLookups);
            return Count(inner.FindCardAsync(campus, cardNo, cancellationToken));
        }

        public Task<IReadOnlyList<Domain.IssuedCard>> AllCardsAsync(CancellationToken cancellationToken) => inner.AllCardsAsync(cancellationToken);

        public Task<IReadOnlyList<Domain.IssuedCard>> CardsOfAsync(long holderId, CancellationToken cancellationToken) => Count(inner.CardsOfAsync(holderId, cancellationToken));

        public Task<(string Hash, long SetBy)?> SecretAsync(long holderId, Domain.Ports.SecretKind kind, CancellationToken cancellationToken) =>
            Count(inner.SecretAsync(holderId, kind, cancellationToken));

        public Task SetSecretAsync(long holderId, Domain.Ports.SecretKind kind, string hash, long setBy, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.SetSecretAsync(holderId, kind, hash, setBy, now, cancellationToken);

        public Task<Domain.Holder?> FindHolderAsync(short campus, string personNo, CancellationToken cancellationToken) => Count(inner.FindHolderAsync(campus, personNo, cancellationToken));

        public Task<Domain.Holder?> GetHolderAsync(long holderId, CancellationToken cancellationToken) => Count(inner.GetHolderAsync(holderId, cancellationToken));

        public Task<Domain.Merchant?> OpenMerchantAsync(short campus, string merchantId, string name, Domain.MerchantCategory category, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.OpenMerchantAsync(campus, merchantId, name, category, now, cancellationToken);

        public Task<Domain.Merchant?> FindMerchantAsync(short campus, string merchantId, CancellationToken cancellationToken) => Count(inner.FindMerchantAsync(campus, merchantId, cancellationToken));

        public Task<(Domain.TerminalRegistration Registration, bool Created)> RegisterTerminalAsync(short campus, string terminalId, long merchantNo, string registeredBy, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.RegisterTerminalAsync(campus, terminalId, merchantNo, registeredBy, now, cancellationToken);

        public Task<Domain.TerminalRegistration?> RevokeTerminalAsync(short campus, string terminalId, string revokedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.RevokeTerminalAsync(campus, terminalId, revokedBy, now, cancellationToken);

        public Task<Domain.TerminalRegistration?> FindTerminalAsync(short campus, string terminalId, CancellationToken cancellationToken) => Count(inner.FindTerminalAsync(campus, terminalId, cancellationToken));

        public Task<Domain.SubsidyBatch> OpenSubsidyBatchAsync(Domain.SubsidyBatch batch, CancellationToken cancellationToken) => Count(inner.OpenSubsidyBatchAsync(batch, cancellationToken));

        public Task<Domain.SubsidyBatch?> FindSubsidyBatchAsync(short campus, string batchId, CancellationToken cancellationToken) => Count(inner.FindSubsidyBatchAsync(campus, batchId, cancellationToken));
    }
}

/// <summary>With an idempotency window of a second, a retry long after it still gets the first answer: from the journal.</summary>
[Trait("Suite", "Cluster")]
public class BeyondTheIdempotencyWindowTests : ServiceTestBase
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("HotStore:IdempotencyWindow", "00:00:01")];

    [Fact]
    public async Task A_retry_after_its_record_expired_gets_the_first_answer_and_moves_money_once()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        var debit = Debit(account, merchant, 300);
        var credit = new CreditRequest { RequestId = "adj-late", PersonNo = account.PersonNo, AmountFen = 50, Source = SystemAccount.Suspense, Memo = "adjustment" };
        var firstDebit = await DebitAsync(debit);
        var firstCredit = await CallAsync(Funding.CreditAsync, credit);
        var early = await ReverseAsync(account, "arrives-late");
        await Task.Delay(2_500);
        Assert.Empty(HotRecordKeys());

        Assert.Equal(firstDebit, await DebitAsync(debit));
        Assert.Equal(firstCredit, await CallAsync(Funding.CreditAsync, credit));
        Assert.Equal(DeclineReason.ReversedBeforeArrival, (await DebitAsync(Debit(account, merchant, 10, "arrives-late"))).DeclineReason);
        Assert.Equal(750L, await PurseAsync(account));
        Assert.Equal(ReversalEffect.OriginalUnknown, early.Effect);
        await AssertInvariantsAsync();
    }
}
