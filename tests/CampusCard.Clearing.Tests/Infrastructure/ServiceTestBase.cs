using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Grpc;
using CampusCard.Clearing.HotStore.Internal;
using Microsoft.Extensions.DependencyInjection;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Tests.Infrastructure;

/// <summary>
/// The whole service, in process on a loopback port, over a fresh database and a Redis key prefix of
/// its own, called through our gRPC client. The service can be stopped and started again on the same
/// state; helpers open accounts and merchants and put money on purses.
/// </summary>
public abstract class ServiceTestBase : IAsyncLifetime
{
    /// <summary>12:00 in Beijing: inside every channel's service hours.</summary>
    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.FromHours(8)));
    protected ScratchDatabase Database { get; private set; } = null!;
    protected string Prefix { get; } = LocalServers.NewKeyPrefix();
    protected InProcessService Service { get; private set; } = null!;
    protected GrpcChannel Channel => Service.Channel;
    protected string Address => Service.Address;

    private int _ids;

    public virtual async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync(migrate: false);
        await StartServiceAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await StopServiceAsync();
        await LocalServers.DeleteKeysAsync(Prefix);
        await Database.DisposeAsync();
    }

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. InProcessService.BaseSettings(Database, Prefix), new("Engine:OutboxSweepInterval", "00:00:00.1")];

    protected async Task StartServiceAsync() =>
        Service = await InProcessService.StartAsync(Settings(), services => services.AddSingleton<TimeProvider>(Clock), CreateChannel);

    protected virtual GrpcChannel CreateChannel(string address) => GrpcChannel.ForAddress(address);

    protected Task StopServiceAsync() => Service.DisposeAsync().AsTask();

    /// <summary>Waits until the outbox is empty (journaled batches are acknowledged lazily), then checks the invariants.</summary>
    protected async Task AssertInvariantsAsync(IEnumerable<long>? answeredTransactionIds = null)
    {
        var hot = LocalServers.HotStore(Prefix);
        for (var i = 0; i < 100 && (await hot.ReadOutboxAsync(1, TimeSpan.Zero)).Count > 0; i++) await Task.Delay(50);
        Assert.Empty(await hot.ReadOutboxAsync(1, TimeSpan.Zero));
        await Invariants.AssertHoldAsync(Database, Prefix, answeredTransactionIds);
    }

    protected Task<TResponse> CallAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request) =>
        Channel.UnaryAsync(method, request, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(30)));

    protected static async Task<RpcException> AssertStatusAsync(StatusCode expected, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, e.StatusCode);
        return e;
    }

    protected string NextId(string prefix = "req") => $"{prefix}-{Interlocked.Increment(ref _ids)}";

    protected Task<Account> OpenAccountAsync(string? personNo = null) => CallAsync(CardsMethods.OpenAccount, new OpenAccountRequest
    {
        PersonNo = personNo ?? NextId("P"),
        Name = "李四",
        CardType = Contracts.V1.CardType.Student,
    });

    protected async Task<Account> OpenFundedAccountAsync(long purseFen)
    {
        var account = await OpenAccountAsync();
        var reply = await CreditAsync(account.PersonNo, purseFen);
        Assert.Equal(Outcome.Approved, reply.Outcome);
        return account;
    }

    protected Task<Contracts.V1.Merchant> OpenMerchantAsync(string? merchantId = null) => CallAsync(CardsMethods.OpenMerchant, new OpenMerchantRequest
    {
        MerchantId = merchantId ?? NextId("M"),
        Name = "二食堂",
        Category = Contracts.V1.MerchantCategory.Dining,
    });

    protected Task<FundingReply> CreditAsync(string personNo, long amountFen, string? requestId = null) => CallAsync(FundingMethods.Credit, new CreditRequest
    {
        RequestId = requestId ?? NextId("credit"),
        PersonNo = personNo,
        AmountFen = amountFen,
        Source = Contracts.V1.SystemAccount.Suspense,
        Memo = "opening balance",
    });

    protected DebitRequest Debit(Account account, Contracts.V1.Merchant merchant, long amountFen, string? requestId = null) => new()
    {
        RequestId = requestId ?? NextId("T1"),
        CardNo = account.CardNo,
        MerchantId = merchant.MerchantId,
        TerminalId = "T1",
        AmountFen = amountFen,
    };

    protected Task<DebitReply> DebitAsync(DebitRequest request) => CallAsync(TerminalMethods.Debit, request);

    protected Task<ReverseReply> ReverseAsync(Account account, string originalRequestId, string? requestId = null) =>
        CallAsync(TerminalMethods.Reverse, new ReverseRequest
        {
            RequestId = requestId ?? NextId("rev"),
            OriginalRequestId = originalRequestId,
            CardNo = account.CardNo,
            TerminalId = "T1",
        });

    /// <summary>Sets the card state in the hot state, as the card office's lifecycle operations will.</summary>
    protected Task SetCardStateAsync(Account account, Domain.CardState state) =>
        ChangeHotStateAsync(account, h => h with { CardState = state });

    /// <summary>Changes the account holder's hot state in Redis behind the engine's back.</summary>
    protected async Task ChangeHotStateAsync(Account account, Func<Domain.HolderHotState, Domain.HolderHotState> change)
    {
        Assert.True(Domain.CardNumber.TryParse(account.CardNo, out var card));
        var key = new Keys(Prefix).Holder(card.HolderId);
        var redis = LocalServers.Redis.GetDatabase();
        var state = HolderValue.Unpack(card.HolderId, (byte[])(await redis.StringGetAsync(key))!);
        await redis.StringSetAsync(key, HolderValue.Pack(change(state)));
    }

    protected async Task<long> PurseAsync(Account account) =>
        (await CallAsync(TerminalMethods.GetBalance, new GetBalanceRequest { CardNo = account.CardNo })).BalanceFen;
}
