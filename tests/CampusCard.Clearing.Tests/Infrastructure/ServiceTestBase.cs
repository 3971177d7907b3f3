using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
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
    /// <summary>The journal's database, of the provider the class runs on (PostgreSQL unless it says otherwise).</summary>
    protected ScratchJournal JournalDatabase { get; private set; } = null!;

    /// <summary>The PostgreSQL journal, for the tests that read it in its own dialect.</summary>
    protected ScratchDatabase Database => JournalDatabase as ScratchDatabase
        ?? throw new InvalidOperationException($"this test reads the journal in PostgreSQL's dialect; the class runs on {JournalDatabase.Provider}");
    protected string Prefix { get; } = LocalServers.NewKeyPrefix();
    /// <summary>The service's first instance (the only one unless <see cref="InstanceCount"/> says more).</summary>
    protected InProcessService Service => Instances[0];

    /// <summary>Every instance of the service, on the same Redis and journal.</summary>
    protected IReadOnlyList<InProcessService> Instances { get; private set; } = [];

    /// <summary>
    /// How many instances a test runs: CC_INSTANCES (scripts/test.sh's second pass runs two behind HAProxy, on a Redis
    /// Cluster), else one, called directly.
    /// </summary>
    public static int InstanceCount { get; } = int.TryParse(Environment.GetEnvironmentVariable("CC_INSTANCES"), out var n) && n > 1 ? n : 1;

    private HaProxy? _proxy;
    private GrpcChannel? _proxyChannel;

    /// <summary>Where the tests' calls go: the one instance, or HAProxy in front of several.</summary>
    protected GrpcChannel Channel => _proxyChannel ?? Service.Channel;
    protected string Address => _proxy?.Address ?? Service.Address;
    /// <summary>The card office.</summary>
    protected Cards.CardsClient Cards => new(As(Domain.CallerRole.Office));
    /// <summary>Funding as the card office (credits); <see cref="FundingAs"/> for the bank's and the kiosks' calls.</summary>
    protected Funding.FundingClient Funding => FundingAs(Domain.CallerRole.Office);
    protected Funding.FundingClient FundingAs(Domain.CallerRole role) => new(As(role));
    /// <summary>The terminal of the first merchant a test opened (see <see cref="TerminalOf"/>).</summary>
    protected Terminal.TerminalClient Terminal => TerminalOf(_terminals.Keys.FirstOrDefault() ?? "none");

    /// <summary>Terminal.GetBalance as a kiosk reads it (any card, no merchant).</summary>
    protected Terminal.TerminalClient Balances => new(As(Domain.CallerRole.Kiosk));

    /// <summary>Calls made with a token of <paramref name="role"/> (of the campus whose code is <paramref name="campus"/>; null: the default campus).</summary>
    protected CallInvoker As(Domain.CallerRole role, string? campus = null) => Channel.WithToken(TestCredentials.Token(role, campus));

    /// <summary>A campus the vendor creates (Admin.CreateCampus), in the journal database named <paramref name="journalDatabase"/> (empty: the main one).</summary>
    protected Task<Contracts.V1.Campus> CreateCampusAsync(string code, string name, string journalDatabase = "") =>
        CallAsync(new Admin.AdminClient(As(Domain.CallerRole.Vendor)).CreateCampusAsync, new CreateCampusRequest { Code = code, Name = name, JournalDatabase = journalDatabase });

    /// <summary>The registered terminal of a merchant the test opened: "T-" and the merchant id.</summary>
    protected Terminal.TerminalClient TerminalOf(string merchantId) =>
        new(Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf(merchantId), merchantId)));

    protected static string TerminalIdOf(string merchantId) => "T-" + merchantId;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _terminals = new();

    private int _ids;

    public virtual async Task InitializeAsync()
    {
        JournalDatabase = await CreateJournalDatabaseAsync();
        await StartServiceAsync();
    }

    /// <summary>An empty database: the service migrates it at its first start.</summary>
    protected virtual async Task<ScratchJournal> CreateJournalDatabaseAsync() => await ScratchDatabase.CreateAsync(migrate: false);

    public virtual async Task DisposeAsync()
    {
        await StopServiceAsync();
        await LocalServers.DeleteKeysAsync(Prefix);
        await JournalDatabase.DisposeAsync();
    }

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. InProcessService.BaseSettings(JournalDatabase, Prefix), new("Engine:OutboxSweepInterval", "00:00:00.1")];

    protected async Task StartServiceAsync()
    {
        if (InstanceCount == 1)
        {
            Instances = [await InProcessService.StartAsync(Settings(), ConfigureServices, CreateChannel)];
            return;
        }
        var instances = new List<(InProcessService Service, int Metrics)>();
        for (var i = 0; i < InstanceCount; i++) instances.Add(await StartWithMetricsAsync());
        Instances = [.. instances.Select(i => i.Service)];
        _proxy = await HaProxy.StartAsync(instances.Select(i => (new Uri(i.Service.Address).Port, i.Metrics)));
        _proxyChannel = CreateChannel(_proxy.Address);
        await HaProxy.UntilServingAsync(_proxyChannel, InstanceCount);
    }

    /// <summary>
    /// An instance whose metrics port answers HAProxy's health checks (/healthz); started again on another port when the
    /// free one chosen was taken meanwhile.
    /// </summary>
    private async Task<(InProcessService Service, int Metrics)> StartWithMetricsAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var metrics = LoopbackPorts.Free();
            try
            {
                return (await InProcessService.StartAsync([.. Settings(), new("Metrics:Address", $"127.0.0.1:{metrics}")], ConfigureServices, CreateChannel), metrics);
            }
            catch (IOException e) when (attempt < 3 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    protected virtual void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    protected virtual GrpcChannel CreateChannel(string address) => GrpcChannel.ForAddress(address);

    private readonly List<InProcessService> _others = [];

    /// <summary>
    /// One more instance on the same Redis and journal, called directly (not through HAProxy), with services of its own
    /// after the class's; stopped with the others.
    /// </summary>
    protected async Task<InProcessService> StartAnotherInstanceAsync(Action<IServiceCollection> services)
    {
        var instance = await InProcessService.StartAsync(Settings(), s =>
        {
            ConfigureServices(s);
            services(s);
        }, CreateChannel);
        lock (_others) _others.Add(instance);
        return instance;
    }

    /// <summary>Stops an instance <see cref="StartAnotherInstanceAsync"/> started, as its host would stop it.</summary>
    protected async Task StopAnotherInstanceAsync(InProcessService instance)
    {
        lock (_others) _others.Remove(instance);
        await instance.DisposeAsync();
    }

    /// <summary>The terminal of a merchant the test opened, called on one instance.</summary>
    protected Terminal.TerminalClient TerminalOn(InProcessService instance, string merchantId) =>
        new(instance.Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf(merchantId), merchantId)));

    /// <summary>Stops the instances first, so calls in flight get an answer or a status, then HAProxy.</summary>
    protected async Task StopServiceAsync()
    {
        InProcessService[] others;
        lock (_others)
        {
            others = [.. _others];
            _others.Clear();
        }
        await Task.WhenAll(Instances.Concat(others).Select(i => i.DisposeAsync().AsTask()));
        if (_proxy is not null) await _proxy.DisposeAsync();
        _proxyChannel?.Dispose();
        (_proxy, _proxyChannel) = (null, null);
    }

    /// <summary>A new instance of the service on the same Redis and database: what it kept in memory is gone.</summary>
    protected async Task RestartServiceAsync()
    {
        await StopServiceAsync();
        await StartServiceAsync();
    }

    /// <summary>Calls until the answer is not UNAVAILABLE (a dependency coming back, a rebuild), for up to 10 s.</summary>
    internal static async Task<T> RetryWhileUnavailableAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 200)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The keys of this test's request records in Redis.</summary>
    protected IEnumerable<StackExchange.Redis.RedisKey> HotRecordKeys() =>
        LocalServers.Keys(Prefix + "*}r:*");

    /// <summary>Waits until the outbox is empty (journaled batches are acknowledged lazily), then checks the invariants.</summary>
    /// <param name="database">One journal database of several (the class's when null), whose holders are in <paramref name="partitions"/>.</param>
    protected async Task AssertInvariantsAsync(IEnumerable<long>? answeredTransactionIds = null, ScratchDatabase? database = null, Domain.Partitioning? partitions = null)
    {
        var hot = LocalServers.HotStore(Prefix);
        for (var i = 0; i < 100 && (await hot.OutboxAsync(TimeSpan.Zero)).Count > 0; i++) await Task.Delay(50);
        Assert.Empty(await hot.OutboxAsync(TimeSpan.Zero));
        await Invariants.AssertHoldAsync(database ?? Database, Prefix, answeredTransactionIds, partitions: partitions);
    }

    /// <summary>A unary call with a deadline long enough for a loaded machine.</summary>
    protected static Task<TResponse> CallAsync<TRequest, TResponse>(Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>> method, TRequest request) =>
        method(request, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30))).ResponseAsync;

    protected static async Task<RpcException> AssertStatusAsync(StatusCode expected, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, e.StatusCode);
        return e;
    }

    /// <summary>Asserts the call is refused with <paramref name="expected"/> and its ErrorInfo names <paramref name="reason"/>.</summary>
    protected static async Task<RpcException> AssertRefusedAsync(StatusCode expected, Domain.ErrorReason reason, Func<Task> call)
    {
        var e = await AssertStatusAsync(expected, call);
        Assert.Equal((Domain.ErrorReasons.Name(reason), "campuscard.clearing.v1"), (ReasonOf(e), e.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Domain));
        return e;
    }

    /// <summary>The ErrorInfo reason a refusal carries (REQUEST_ID_REUSED), or empty when it has none.</summary>
    protected static string ReasonOf(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";

    protected string NextId(string prefix = "req") => $"{prefix}-{Interlocked.Increment(ref _ids)}";

    protected Task<Account> OpenAccountAsync(string? personNo = null) => CallAsync(Cards.OpenAccountAsync, new OpenAccountRequest
    {
        PersonNo = personNo ?? NextId("P"),
        Name = "李四",
        CardType = Contracts.V1.CardType.Student,
        IdNumber = IdNumber,
    });

    /// <summary>The ID number every test account is opened with: its default PIN is <see cref="DefaultPin"/> (handbook Q&amp;A 1: X as 1).</summary>
    protected const string IdNumber = "21020019990101234X";

    protected const string DefaultPin = "012341";

    protected async Task<Account> OpenFundedAccountAsync(long purseFen)
    {
        var account = await OpenAccountAsync();
        var reply = await CreditAsync(account.PersonNo, purseFen);
        Assert.Equal(Outcome.Approved, reply.Outcome);
        return account;
    }

    /// <summary>Opens a merchant and registers its terminal (<see cref="TerminalIdOf"/>).</summary>
    protected async Task<Contracts.V1.Merchant> OpenMerchantAsync(string? merchantId = null)
    {
        var merchant = await CallAsync(Cards.OpenMerchantAsync, new OpenMerchantRequest
        {
            MerchantId = merchantId ?? NextId("M"),
            Name = "二食堂",
            Category = Contracts.V1.MerchantCategory.Dining,
        });
        await CallAsync(Cards.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = TerminalIdOf(merchant.MerchantId), MerchantId = merchant.MerchantId });
        _terminals.TryAdd(merchant.MerchantId, true);
        return merchant;
    }

    /// <summary>A dining merchant of <paramref name="campus"/> (null: the default campus) with its terminal (<see cref="TerminalIdOf"/>), and the terminal's client.</summary>
    protected async Task<Terminal.TerminalClient> TerminalAtAsync(string? campus, string merchantId, string name = "食堂")
    {
        var office = new Cards.CardsClient(As(Domain.CallerRole.Office, campus));
        await CallAsync(office.OpenMerchantAsync, new OpenMerchantRequest { MerchantId = merchantId, Name = name, Category = Contracts.V1.MerchantCategory.Dining });
        await CallAsync(office.RegisterTerminalAsync, new RegisterTerminalRequest { TerminalId = TerminalIdOf(merchantId), MerchantId = merchantId });
        return new Terminal.TerminalClient(Channel.WithToken(TestCredentials.TerminalToken(TerminalIdOf(merchantId), merchantId, campus)));
    }

    protected Task<FundingReply> CreditAsync(string personNo, long amountFen, string? requestId = null) => CallAsync(Funding.CreditAsync, new CreditRequest
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
        TerminalId = TerminalIdOf(merchant.MerchantId),
        AmountFen = amountFen,
    };

    /// <summary>The debit, sent by the registered terminal of its merchant.</summary>
    protected Task<DebitReply> DebitAsync(DebitRequest request) => CallAsync(TerminalOf(request.MerchantId).DebitAsync, request);

    /// <summary>A reversal, sent by the terminal of the first merchant the test opened.</summary>
    protected Task<ReverseReply> ReverseAsync(Account account, string originalRequestId, string? requestId = null) =>
        CallAsync(Terminal.ReverseAsync, new ReverseRequest
        {
            RequestId = requestId ?? NextId("rev"),
            OriginalRequestId = originalRequestId,
            CardNo = account.CardNo,
        });

    /// <summary>Takes the card to <paramref name="state"/> through the card office's own RPCs.</summary>
    protected async Task<CardReply> SetCardStateAsync(Account account, Domain.CardState state)
    {
        var id = NextId("state");
        var reply = state switch
        {
            Domain.CardState.Lost => await CallAsync(Cards.ReportLossAsync, new ReportLossRequest { RequestId = id, PersonNo = account.PersonNo }),
            Domain.CardState.Frozen => await CallAsync(Cards.FreezeAsync, new FreezeRequest { RequestId = id, PersonNo = account.PersonNo, Reason = FreezeReason.Admin }),
            Domain.CardState.Closed => await CallAsync(Cards.CloseAccountAsync, new CloseAccountRequest { RequestId = id, PersonNo = account.PersonNo }),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        Assert.Equal((Outcome.Approved, (CardState)state), (reply.Outcome, reply.CardState));
        return reply;
    }

    /// <summary>Changes the account holder's hot state in Redis behind the engine's back.</summary>
    protected async Task ChangeHotStateAsync(Account account, Func<Domain.HolderHotState, Domain.HolderHotState> change)
    {
        var key = HotProbe.HolderKey(Prefix, account.PersonNo);
        var redis = LocalServers.Redis.GetDatabase();
        var state = Domain.Formats.HolderFormat.Read(Domain.Campuses.Default, account.PersonNo, (byte[])(await redis.StringGetAsync(key))!);
        await redis.StringSetAsync(key, Domain.Formats.HolderFormat.WriteHot(change(state)));
    }

    protected async Task<long> PurseAsync(Account account) =>
        (await CallAsync(Balances.GetBalanceAsync, new GetBalanceRequest { CardNo = account.CardNo })).BalanceFen;
}
