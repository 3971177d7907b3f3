using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Journal;
using CampusCard.Clearing.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CampusCard.Clearing.Tests.Service;

/// <summary>
/// The journal lookup before a decide, only where it can find something: a batch that may hold a request decided
/// before the horizon (its hot record about to expire), or any batch while the aged keys are not loaded.
/// Hot records last 2 s here, and a request counts as aged 1 s before its record expires.
/// </summary>
[Trait("Suite", "Cluster")]
public class AgedRequestTests : ServiceTestBase
{
    private CountingJournal? _journal;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("HotStore:IdempotencyWindow", "00:00:02"),
        new("Engine:AgedRequestLead", "00:00:01"),
        new("Engine:AgedRequestRefresh", "00:00:00.05"),
    ];

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<IJournal>(provider =>
            _journal = new CountingJournal(new PostgresJournal(provider.GetRequiredService<NpgsqlDataSource>(), NullLogger<PostgresJournal>.Instance)));
    }

    [Fact]
    public async Task Fresh_requests_cost_no_journal_lookup_once_the_aged_keys_are_read()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var merchant = await OpenMerchantAsync();
        await ReadOnAsync();
        var lookups = _journal!.Lookups;

        for (var i = 0; i < 10; i++) await DebitAsync(Debit(account, merchant, 10));
        await ReverseAsync(account, "never-sent");

        Assert.Equal(lookups, _journal.Lookups);
        Assert.Equal(900L, await PurseAsync(account));
    }

    [Fact]
    public async Task A_retry_of_an_aged_request_is_looked_up_and_gets_the_first_answer()
    {
        var (account, debit, first) = await AgedDebitAsync();
        Assert.Empty(HotRecordKeys());
        var lookups = _journal!.Lookups;

        Assert.Equal(first, await DebitAsync(debit));
        Assert.True(_journal.Lookups > lookups);
        Assert.Equal(700L, await PurseAsync(account));
        await AssertInvariantsAsync();
    }

    [Fact]
    public async Task A_retry_of_an_aged_request_while_the_journal_cannot_be_reached_is_unavailable_not_internal()
    {
        var (account, debit, first) = await AgedDebitAsync();
        await Database.SetReachableAsync(false);

        var refused = await AssertStatusAsync(Grpc.Core.StatusCode.Unavailable, () => DebitAsync(debit));
        await Database.SetReachableAsync(true);

        Assert.Contains("retry with the same request_id", refused.Status.Detail);
        Assert.Equal(first, await RetryWhileUnavailableAsync(() => DebitAsync(debit)));
        Assert.Equal(700L, await PurseAsync(account));
    }

    /// <summary>A debit of 300 from a purse of 1,000, then past its hot record's expiry with the aged keys read on.</summary>
    private async Task<(Account Account, DebitRequest Debit, DebitReply First)> AgedDebitAsync()
    {
        var account = await OpenFundedAccountAsync(1_000);
        var debit = Debit(account, await OpenMerchantAsync(), 300);
        var first = await DebitAsync(debit);
        Clock.Set(Clock.GetUtcNow().AddSeconds(3));
        await Task.Delay(2_500);
        await ReadOnAsync();
        return (account, debit, first);
    }

    /// <summary>Waits until the aged keys were read on from the journal twice more, so a read began after this call.</summary>
    private async Task ReadOnAsync()
    {
        var reads = _journal!.KeyReads + 2;
        for (var i = 0; i < 200 && _journal.KeyReads < reads; i++) await Task.Delay(20);
        Assert.True(_journal.KeyReads >= reads, "the aged request keys were not read from the journal");
    }

    private sealed class CountingJournal(IJournal inner) : DelegatingJournal(inner)
    {
        private int _lookups;
        private int _keyReads;

        public int Lookups => Volatile.Read(ref _lookups);

        public int KeyReads => Volatile.Read(ref _keyReads);

        public override Task<IReadOnlyList<Domain.JournalEntry>> FindAsync(IReadOnlyCollection<(string Scope, string RequestId)> keys, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _lookups);
            return base.FindAsync(keys, cancellationToken);
        }

        public override IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _keyReads);
            return base.ReadRequestKeysAsync(from, before, cancellationToken);
        }
    }
}
