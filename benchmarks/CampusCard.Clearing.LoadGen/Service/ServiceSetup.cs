using System.Diagnostics;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.LoadGen.Workload;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Health.V1;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>A campus's cardholders and canteens the terminals use, by account index; how many of the accounts the setup opened (the rest it found).</summary>
public sealed record Population(LoadCampus Campus, string[] CardNos, string[] PersonNos, string[] MerchantIds, int Opened);

/// <summary>
/// Creates the campuses (<see cref="LoadCampus"/>), then in each one opens the accounts LG000000.. and the canteens through the
/// card office's API, registers each of the campus's terminals to its canteen, and tops each purse up to its target with
/// Credits from suspense, all with the campus's office token. A rerun finds
/// the accounts (ALREADY_EXISTS, then GetAccount) and credits only what earlier runs spent; a Credit's request id is
/// derived from the person, the balance it starts from and the target, so a setup repeated after a lost answer replays
/// it instead of paying twice. A rerun finds the terminals registered too (RegisterTerminal answers the registration)
/// if it places them in the same canteens: the same --seed, --terminals, --merchants and --zipf. With a --mix, it also
/// prepares what the mix needs (<see cref="MixSetup"/>).
/// </summary>
public static class ServiceSetup
{
    internal const long MaxCreditFen = 10_000_000;

    public static string MerchantId(int index) => $"CANTEEN-{index + 1}";

    public static string TerminalId(int index) => $"LG{index:D3}";

    /// <summary>Every campus's population, by campus index.</summary>
    public static async Task<Population[]> RunAsync(
        GrpcChannel channel, Credentials credentials, LoadOptions options, LunchPeak workload, long[] targets, CancellationToken cancellationToken)
    {
        await WaitUntilServingAsync(channel, cancellationToken);
        var campuses = await LoadCampus.CreateAsync(channel, credentials, options, cancellationToken);
        var populations = new Population[campuses.Length];
        foreach (var campus in campuses)
            populations[campus.Index] = await SetUpAsync(channel, credentials.At(campus), campus, options, workload, targets, cancellationToken);
        return populations;
    }

    private static async Task<Population> SetUpAsync(
        GrpcChannel channel, Credentials credentials, LoadCampus campus, LoadOptions options, LunchPeak workload, long[] targets, CancellationToken cancellationToken)
    {
        var (office, kiosk, bank, payments) = (credentials.Office(), credentials.Kiosk(), credentials.Bank(), credentials.Payments());
        var clock = Stopwatch.StartNew();
        var merchants = new string[options.Merchants];
        for (var m = 0; m < merchants.Length; m++)
        {
            merchants[m] = MerchantId(m);
            await OpenMerchantAsync(channel, new OpenMerchantRequest { MerchantId = merchants[m], Name = $"Canteen {m + 1}", Category = MerchantCategory.Dining }, Call(office, cancellationToken));
        }
        var terminals = workload.TerminalsOf(campus.Index).ToArray();
        foreach (var t in terminals)
        {
            await RegisterAsync(new Cards.CardsClient(channel), TerminalId(t), merchants[workload.CanteenOf(t)], Call(office, cancellationToken));
        }
        await MixSetup.OpenMerchantsAsync(channel, office, options, terminals, cancellationToken);
        var wallets = options.Mix.PaymentPercent > 0 ? workload.WalletTargets() : null;

        var cardNos = new string[options.Accounts];
        var personNos = new string[options.Accounts];
        int existed = 0, credits = 0, walletTopUps = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Terminals, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Accounts), parallel, async (i, ct) =>
        {
            var personNo = $"LG{i:D6}";
            Account account;
            try
            {
                account = await new Cards.CardsClient(channel).OpenAccountAsync(new OpenAccountRequest { PersonNo = personNo, Name = $"LoadGen {i}", CardType = CardType.Student, IdNumber = LunchPeak.IdNumber }, Call(office, ct));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                Interlocked.Increment(ref existed);
                account = await new Cards.CardsClient(channel).GetAccountAsync(new GetAccountRequest { PersonNo = personNo }, Call(office, ct));
            }
            for (var purse = account.Balances?.PurseFen ?? 0; purse < targets[i];)
            {
                var funded = await new Funding.FundingClient(channel).CreditAsync(new CreditRequest
                {
                    RequestId = $"fund-{personNo}-{purse}-{targets[i]}",
                    PersonNo = personNo,
                    AmountFen = Math.Min(targets[i] - purse, MaxCreditFen),
                    Source = SystemAccount.Suspense,
                    Memo = "load generator funding",
                }, Call(office, ct));
                if (funded.Outcome != Outcome.Approved)
                    throw new InvalidOperationException($"funding {personNo} was declined: {funded.DeclineReason}");
                purse = funded.Balances.PurseFen;
                Interlocked.Increment(ref credits);
            }
            if (workload.IsPinCard(i)) await LimitAsync(channel, account, Call(kiosk, ct));
            if (wallets is not null) Interlocked.Add(ref walletTopUps, await MixSetup.PreparePayerAsync(channel, bank, payments, account, wallets[i], ct));
            cardNos[i] = account.CardNo;
            personNos[i] = personNo;
        });
        Console.WriteLine($"setup: {campus.Label(options)}{options.Accounts - existed} accounts opened, {existed} found; {credits} credits topped purses up to " +
            $"{options.BalanceFen}..{targets.Max()} fen; {merchants.Length} canteens; {terminals.Length} terminals registered; " +
            (wallets is null ? "" : $"{walletTopUps} wallet top-ups to {options.BalanceFen}..{wallets.Max()} fen and payment passwords set; ") +
            $"{clock.Elapsed.TotalSeconds:F1} s");
        return new Population(campus, cardNos, personNos, merchants, options.Accounts - existed);
    }

    /// <summary>Gives a PIN card its single limit at a kiosk, with its PIN (a rerun replays the same request).</summary>
    private static async Task LimitAsync(GrpcChannel channel, Account account, CallOptions call)
    {
        var limited = await new Kiosk.KioskClient(channel).SetLimitsAsync(new SetLimitsRequest
        {
            RequestId = $"limits-{account.PersonNo}",
            CardNo = account.CardNo,
            Pin = LunchPeak.DefaultPin,
            SingleLimitFen = LunchPeak.PinCardSingleLimitFen,
        }, call);
        if (limited.Outcome != Outcome.Approved) throw new InvalidOperationException($"limiting {account.PersonNo} was declined: {limited.DeclineReason}");
    }

    /// <summary>Opens a merchant; opened already (a rerun) is fine.</summary>
    internal static async Task OpenMerchantAsync(GrpcChannel channel, OpenMerchantRequest request, CallOptions call)
    {
        try
        {
            await new Cards.CardsClient(channel).OpenMerchantAsync(request, call);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
        }
    }

    /// <summary>Registers a terminal to its merchant; registered there already (a rerun) answers the registration.</summary>
    internal static async Task RegisterAsync(Cards.CardsClient cards, string terminalId, string merchantId, CallOptions call)
    {
        try
        {
            await cards.RegisterTerminalAsync(new RegisterTerminalRequest { TerminalId = terminalId, MerchantId = merchantId }, call);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            throw new InvalidOperationException($"terminal {terminalId} cannot be registered to {merchantId} ({e.Status.Detail}): an earlier run against this " +
                "service placed it elsewhere; rerun with that run's --seed, --terminals, --merchants and --zipf, or against empty servers (scripts/bench.sh)", e);
        }
    }

    internal static CallOptions Call(Metadata? headers, CancellationToken cancellationToken) => new(headers, DateTime.UtcNow.AddSeconds(30), cancellationToken);

    /// <summary>A service just started is not listening yet, or still recovering its state: wait for SERVING.</summary>
    public static async Task WaitUntilServingAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), Call(null, cancellationToken));
                if (health.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (RpcException) when (until.Elapsed < TimeSpan.FromSeconds(60))
            {
            }
            if (until.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{channel.Target} did not report SERVING within 60 s");
            await Task.Delay(200, cancellationToken);
        }
    }
}
