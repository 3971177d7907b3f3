using BenchmarkDotNet.Attributes;
using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
using CampusCard.Clearing.Testing;

namespace CampusCard.Clearing.Benchmarks;

/// <summary>
/// Whole debits through the real service in this process (Kestrel, the pipeline, Redis, a fresh journal database) and
/// Grpc.Net.Client over loopback HTTP/2. Client and server share the machine's cores, so this is an upper bound on
/// the cost of one debit. The concurrent and batch variants report the time per debit.
/// </summary>
[MemoryDiagnoser]
public class DebitServiceBenchmarks
{
    private const int Concurrency = 64;
    private const int BatchItems = 100;
    private const long OpeningFen = 10_000_000;
    // One fen per debit, so the opening credit outlasts any run length.
    private const long DebitFen = 1;

    private readonly string _prefix = LocalServers.NewKeyPrefix();
    private ScratchDatabase _database = null!;
    private InProcessService _service = null!;
    private GrpcChannel _channel = null!;
    private Terminal.TerminalClient _terminal = null!;
    private Account _account = null!;
    private Merchant _merchant = null!;
    private long _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await ScratchDatabase.CreateAsync(migrate: false);
        _service = await InProcessService.StartAsync(InProcessService.BaseSettings(_database, _prefix));
        _channel = _service.Channel;
        var office = new Cards.CardsClient(_channel.WithToken(TestCredentials.Token(Domain.CallerRole.Office)));

        _account = await office.OpenAccountAsync(new OpenAccountRequest
        {
            PersonNo = "2021001",
            Name = "张三",
            CardType = CardType.Student,
        });
        _merchant = await office.OpenMerchantAsync(new OpenMerchantRequest
        {
            MerchantId = "CANTEEN-1",
            Name = "一食堂",
            Category = MerchantCategory.Dining,
        });
        await office.RegisterTerminalAsync(new RegisterTerminalRequest { TerminalId = "T0042", MerchantId = _merchant.MerchantId });
        _terminal = new Terminal.TerminalClient(_channel.WithToken(TestCredentials.TerminalToken("T0042", _merchant.MerchantId)));
        var credit = await new Funding.FundingClient(_channel.WithToken(TestCredentials.Token(Domain.CallerRole.Office))).CreditAsync(new CreditRequest
        {
            RequestId = "opening",
            PersonNo = _account.PersonNo,
            AmountFen = OpeningFen,
            Source = SystemAccount.Suspense,
            Memo = "benchmark opening balance",
        });
        if (credit.Outcome != Outcome.Approved) throw new InvalidOperationException($"the opening credit was not approved: {credit}");
    }

    [Benchmark]
    public async Task Debit() => Check(await _terminal.DebitAsync(NextDebit()));

    [Benchmark(OperationsPerInvoke = Concurrency)]
    public async Task Debit64Concurrent()
    {
        var calls = new Task<DebitReply>[Concurrency];
        for (var i = 0; i < calls.Length; i++) calls[i] = _terminal.DebitAsync(NextDebit()).ResponseAsync;
        foreach (var reply in await Task.WhenAll(calls)) Check(reply);
    }

    [Benchmark(OperationsPerInvoke = BatchItems)]
    public async Task DebitBatch100()
    {
        var request = new DebitBatchRequest();
        for (var i = 0; i < BatchItems; i++) request.Debits.Add(NextDebit());
        var reply = await _terminal.DebitBatchAsync(request);
        foreach (var item in reply.Replies) Check(item);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _service.DisposeAsync();
        await LocalServers.DeleteKeysAsync(_prefix);
        await _database.DisposeAsync();
    }

    private DebitRequest NextDebit() => new()
    {
        RequestId = $"T0042-{Interlocked.Increment(ref _next)}",
        CardNo = _account.CardNo,
        MerchantId = _merchant.MerchantId,
        TerminalId = "T0042",
        AmountFen = DebitFen,
    };

    private static void Check(DebitReply reply)
    {
        if (reply.Outcome != Outcome.Approved) throw new InvalidOperationException($"expected an approval, got {reply}");
    }

}
