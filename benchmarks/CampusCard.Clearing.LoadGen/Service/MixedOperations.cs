using System.Diagnostics;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Workload;
using Grpc.Core;
using Grpc.Net.Client;
using Outcome = CampusCard.Clearing.Contracts.V1.Outcome;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// The --mix's operations of one simulated terminal, in its turn between debits: a shower session at its shower terminal
/// (Hold, then SettleHold of what the water cost or, a few times, ReleaseHold), or a payment from a cardholder's e-wallet
/// by the e-payment platform. Each call is counted under its name (hold, settle, release, pay) with its latency.
/// </summary>
internal sealed class MixedOperations(
    int index, GrpcChannel channel, Metadata shower, Metadata payments, Population population, LunchPeak workload, ServiceLedger ledger,
    TerminalStats stats, MeasurementWindow window, RequestIds ids, Random random, TimeSpan deadline)
{
    public const string SettleMismatch = "SETTLE_MISMATCH";

    public Task RunAsync(SwipeAction action) => action == SwipeAction.Shower ? ShowerAsync() : PayAsync();

    private async Task ShowerAsync()
    {
        var account = workload.Cards.Next(random);
        ledger.Touch(population.Campus, account);
        var cardNo = population.CardNos[account];
        var terminal = new Terminal.TerminalClient(channel);
        var hold = new HoldRequest { RequestId = ids.Next(), CardNo = cardNo, MaxFen = ShowerSession.HoldFen, TtlSeconds = ShowerSession.TtlSeconds };
        var held = await CallAsync("hold", TransactionKind.Hold, () => terminal.HoldAsync(hold, Call(shower)).ResponseAsync, Answer);
        if (held is not { Outcome: Outcome.Approved }) return;
        if (ShowerSession.EndsUnused(random))
        {
            var release = new ReleaseHoldRequest { RequestId = ids.Next(), HoldRequestId = hold.RequestId, CardNo = cardNo };
            await CallAsync("release", TransactionKind.ReleaseHold, () => terminal.ReleaseHoldAsync(release, Call(shower)).ResponseAsync, Answer);
            return;
        }
        var cost = Math.Min(ShowerSession.NextCost(random), held.AmountFen);
        var settle = new SettleHoldRequest { RequestId = ids.Next(), HoldRequestId = hold.RequestId, CardNo = cardNo, AmountFen = cost };
        var settled = await CallAsync("settle", TransactionKind.SettleHold, () => terminal.SettleHoldAsync(settle, Call(shower)).ResponseAsync, Answer);
        if (settled is { Outcome: Outcome.Approved } && (settled.AmountFen != cost || settled.ReleasedFen != held.AmountFen - cost))
            stats.Error(SettleMismatch);
    }

    private async Task PayAsync()
    {
        var account = workload.Cards.Next(random);
        ledger.TouchWallet(population.Campus, account);
        var request = new PayRequest
        {
            RequestId = ids.Next(),
            PersonNo = population.PersonNos[account],
            PayeeMerchantId = WalletPayment.Payees[random.Next(WalletPayment.Payees.Length)].MerchantId,
            AmountFen = WalletPayment.NextAmount(random),
            Source = PaymentSource.Wallet,
            Password = WalletPayment.Password,
        };
        var desk = new Payments.PaymentsClient(channel);
        await CallAsync("pay", TransactionKind.Payment, () => desk.PayAsync(request, Call(payments)).ResponseAsync,
            r => (r.Outcome, r.DeclineReason, r.TransactionId));
    }

    private static (Outcome, Contracts.V1.DeclineReason, long) Answer(HoldReply reply) => (reply.Outcome, reply.DeclineReason, reply.TransactionId);

    /// <summary>One call: its approved transaction goes to the ledger whenever it completes, its count and latency only inside the window.</summary>
    private async Task<T?> CallAsync<T>(string name, TransactionKind kind, Func<Task<T>> call, Func<T, (Outcome, Contracts.V1.DeclineReason, long)> answer)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        T reply;
        try
        {
            reply = await call();
        }
        catch (RpcException e)
        {
            if (window.Counts(Stopwatch.GetTimestamp(), 1))
            {
                stats.Calls++;
                stats.Requests++;
                stats.Error(e.StatusCode.ToString());
            }
            // A failing service is not hammered in a tight loop, as a real terminal would not.
            await Task.Delay(10);
            return null;
        }
        var now = Stopwatch.GetTimestamp();
        var (outcome, reason, transactionId) = answer(reply);
        if (outcome == Outcome.Approved) ledger.ApprovedMixed(index, kind, transactionId);
        if (!window.Counts(now, 1)) return reply;
        stats.Calls++;
        stats.Requests++;
        var operation = stats.Operation(name);
        operation.Latency.Record(MeasurementWindow.Micros(started, now));
        if (outcome == Outcome.Approved) operation.Approved++;
        else
        {
            operation.Declined++;
            stats.Decline((int)reason);
        }
        return reply;
    }

    private CallOptions Call(Metadata token) => new(token, DateTime.UtcNow + deadline);
}
