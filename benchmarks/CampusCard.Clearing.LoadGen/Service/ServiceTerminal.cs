using System.Diagnostics;
using CampusCard.Clearing.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;
using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Workload;

namespace CampusCard.Clearing.LoadGen.Service;

public sealed class ServiceSwipe : Swipe
{
    public required DebitRequest Request { get; init; }
    public DebitReply Reply { get; set; } = null!;
}

/// <summary>
/// One simulated canteen terminal (or, in batch mode, a concentrator of a canteen's terminals) talking to the service
/// with its own token: it debits only at the canteen it is registered to. With a --mix, some of its unary turns are
/// the mix's operations (<see cref="MixedOperations"/>) instead.
/// </summary>
internal sealed class ServiceTerminal(
    int index, GrpcChannel channel, Metadata token, Population population, LunchPeak workload, ServiceLedger ledger,
    TerminalStats stats, MeasurementWindow window, string run, TimeSpan deadline, int historyCapacity, Credentials credentials, OperationMix mix)
{
    private readonly string _terminalId = ServiceSetup.TerminalId(index);
    private readonly string _merchantId = population.MerchantIds[workload.CanteenOf(index)];
    private readonly Random _random = workload.RandomFor(index);
    private readonly Terminal.TerminalClient _client = new(channel);
    private readonly RequestIds _ids = new(run, index);
    private MixedOperations? _mixed;
    private readonly SwipeHistory<ServiceSwipe> _history = new(historyCapacity);
    private long _round;

    public async Task RunUnaryAsync()
    {
        if (!mix.IsEmpty) _mixed = new MixedOperations(index, channel, credentials.Terminal(MixSetup.ShowerTerminalId(index), MixSetup.BathhouseOf(index)),
            credentials.Payments(), population, workload, ledger, stats, window, _ids, _random, deadline);
        while (!window.IsClosed)
        {
            var action = workload.NextAction(_random);
            if (action is SwipeAction.Shower or SwipeAction.Payment)
            {
                await _mixed!.RunAsync(action);
                continue;
            }
            switch (_history.Choose(action, _random, ++_round))
            {
                case (SwipeAction.Reverse, { } original):
                    await ReverseAsync(original);
                    break;
                case (SwipeAction.Retry, { } earlier):
                    await DebitAsync(earlier, retry: true);
                    break;
                default:
                    await DebitAsync(NewSwipe(), retry: false);
                    break;
            }
        }
    }

    /// <summary>Each round: one DebitBatch of new debits and retries, then the round's reversals one by one (there is no batch reversal).</summary>
    public async Task RunBatchAsync(int batchSize)
    {
        var items = new List<(ServiceSwipe Swipe, bool Retry)>(batchSize);
        var reversals = new List<ServiceSwipe>();
        while (!window.IsClosed)
        {
            _round++;
            items.Clear();
            reversals.Clear();
            var batch = new DebitBatchRequest();
            for (var i = 0; i < batchSize; i++)
            {
                switch (_history.Choose(workload.NextAction(_random), _random, _round))
                {
                    case (SwipeAction.Reverse, { } original):
                        reversals.Add(original);
                        break;
                    case (SwipeAction.Retry, { } earlier):
                        items.Add((earlier, true));
                        batch.Debits.Add(earlier.Request);
                        break;
                    default:
                        var swipe = NewSwipe();
                        items.Add((swipe, false));
                        batch.Debits.Add(swipe.Request);
                        break;
                }
            }
            if (items.Count > 0) await DebitBatchAsync(batch, items);
            foreach (var original in reversals) await ReverseAsync(original);
        }
    }

    private ServiceSwipe NewSwipe()
    {
        var account = workload.Cards.Next(_random);
        ledger.Touch(population.Campus, account);
        var amount = LunchPeak.NextAmount(_random);
        return new ServiceSwipe
        {
            Account = account,
            Request = new DebitRequest
            {
                RequestId = _ids.Next(),
                CardNo = population.CardNos[account],
                MerchantId = _merchantId,
                TerminalId = _terminalId,
                AmountFen = amount,
                Pin = workload.IsPinCard(account) && amount > LunchPeak.PinCardSingleLimitFen ? LunchPeak.DefaultPin : "",
            },
        };
    }

    /// <summary>One Debit call: a new swipe, or a retry of an earlier one whose answer must equal the first.</summary>
    private async Task DebitAsync(ServiceSwipe swipe, bool retry)
    {
        var started = Stopwatch.GetTimestamp();
        DebitReply reply;
        try
        {
            reply = await _client.DebitAsync(swipe.Request, Call());
        }
        catch (RpcException e)
        {
            await FailedAsync(started, 1, stats.DebitCalls, e);
            return;
        }
        var now = Stopwatch.GetTimestamp();
        if (!retry) Answered(swipe, reply);
        if (!window.Counts(now, 1)) return;
        stats.Calls++;
        stats.DebitCalls.Record(MeasurementWindow.Micros(started, now));
        if (retry) CountRetry(swipe, reply);
        else CountDebit(swipe, reply);
    }

    private async Task DebitBatchAsync(DebitBatchRequest batch, List<(ServiceSwipe Swipe, bool Retry)> items)
    {
        var started = Stopwatch.GetTimestamp();
        DebitBatchReply reply;
        try
        {
            reply = await _client.DebitBatchAsync(batch, Call());
        }
        catch (RpcException e)
        {
            await FailedAsync(started, items.Count, stats.DebitCalls, e);
            return;
        }
        var now = Stopwatch.GetTimestamp();
        if (reply.Replies.Count != items.Count)
            throw new InvalidOperationException($"DebitBatch answered {reply.Replies.Count} items for {items.Count}");
        for (var i = 0; i < items.Count; i++)
        {
            if (!items[i].Retry) Answered(items[i].Swipe, reply.Replies[i]);
        }
        if (!window.Counts(now, items.Count)) return;
        stats.Calls++;
        stats.DebitCalls.Record(MeasurementWindow.Micros(started, now));
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Retry) CountRetry(items[i].Swipe, reply.Replies[i]);
            else CountDebit(items[i].Swipe, reply.Replies[i]);
        }
    }

    private async Task ReverseAsync(ServiceSwipe original)
    {
        var request = new ReverseRequest
        {
            RequestId = _ids.Next(),
            OriginalRequestId = original.Request.RequestId,
            CardNo = original.Request.CardNo,
            TerminalId = _terminalId,
        };
        var started = Stopwatch.GetTimestamp();
        ReverseReply reply;
        try
        {
            reply = await _client.ReverseAsync(request, Call());
        }
        catch (RpcException e)
        {
            await FailedAsync(started, 1, stats.ReverseCalls, e);
            return;
        }
        var now = Stopwatch.GetTimestamp();
        var approved = reply.Outcome == Outcome.Approved;
        if (approved) ledger.ApprovedReversal(index, reply.TransactionId);
        if (!window.Counts(now, 1)) return;
        stats.Calls++;
        stats.Requests++;
        stats.Reversals++;
        stats.ReverseCalls.Record(MeasurementWindow.Micros(started, now));
        if (!approved) stats.Decline((int)reply.DeclineReason);
        else if (reply.Effect == ReversalEffect.Refunded) stats.Refunds++;
    }

    private void Answered(ServiceSwipe swipe, DebitReply reply)
    {
        swipe.Reply = reply;
        swipe.Approved = reply.Outcome == Outcome.Approved;
        if (swipe.Approved) ledger.ApprovedDebit(index, reply.TransactionId);
        _history.Add(swipe);
    }

    private void CountDebit(ServiceSwipe swipe, DebitReply reply)
    {
        stats.Requests++;
        stats.Debits++;
        if (swipe.Request.Pin.Length > 0) stats.PinDebits++;
        if (reply.Outcome == Outcome.Approved) stats.Approved++;
        else stats.Decline((int)reply.DeclineReason);
    }

    private void CountRetry(ServiceSwipe earlier, DebitReply reply)
    {
        stats.Requests++;
        stats.Retries++;
        if (!reply.Equals(earlier.Reply)) stats.Error(TerminalStats.RetryMismatch);
    }

    private async Task FailedAsync(long started, int requests, LatencyHistogram latency, RpcException error)
    {
        var now = Stopwatch.GetTimestamp();
        if (window.Counts(now, requests))
        {
            stats.Calls++;
            stats.Requests += requests;
            latency.Record(MeasurementWindow.Micros(started, now));
            stats.Error(error.StatusCode.ToString());
        }
        // A failing service is not hammered in a tight loop, as a real terminal would not.
        await Task.Delay(10);
    }

    private CallOptions Call() => new(token, DateTime.UtcNow + deadline);
}
