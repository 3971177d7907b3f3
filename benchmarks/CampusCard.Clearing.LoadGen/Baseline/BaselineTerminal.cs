using System.Data;
using System.Diagnostics;
using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Service;
using CampusCard.Clearing.LoadGen.Workload;
using Npgsql;
using NpgsqlTypes;

namespace CampusCard.Clearing.LoadGen.Baseline;

public sealed class BaselineSwipe : Swipe
{
    public required string RequestId { get; init; }
    public required string MerchantId { get; init; }
    public required long AmountFen { get; init; }
    public (short Outcome, short Reason, long PurseAfter) Answer { get; set; }
}

/// <summary>
/// One terminal of a classic design (the functions debit() and reverse() of <paramref name="schema"/>): its own
/// connection, one stored-procedure call per swipe, each call a transaction of its own committed synchronously. It
/// stands in the same canteen as the service's terminal of that index. Holder ids are the account index plus one.
/// </summary>
internal sealed class BaselineTerminal(
    int index, string schema, NpgsqlDataSource database, string[] merchantIds, LunchPeak workload, BaselineLedger ledger,
    TerminalStats stats, MeasurementWindow window, string run, int historyCapacity)
{
    private const short Approved = 1;

    private readonly string _terminalId = ServiceSetup.TerminalId(index);
    private readonly string _merchantId = merchantIds[workload.CanteenOf(index)];
    private readonly Random _random = workload.RandomFor(index);
    private readonly RequestIds _ids = new(run, index);
    private readonly SwipeHistory<BaselineSwipe> _history = new(historyCapacity);

    private readonly NpgsqlParameter<string> _debitRequestId = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long> _debitHolder = new() { NpgsqlDbType = NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<string> _debitMerchant = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private readonly NpgsqlParameter<string> _debitTerminal = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long> _debitAmount = new() { NpgsqlDbType = NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<string> _reverseRequestId = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private readonly NpgsqlParameter<string> _reverseOriginal = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long> _reverseHolder = new() { NpgsqlDbType = NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<string> _reverseTerminal = new() { NpgsqlDbType = NpgsqlDbType.Text };
    private NpgsqlCommand _debit = null!;
    private NpgsqlCommand _reverse = null!;
    private long _round;

    public async Task RunAsync()
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var debit = new NpgsqlCommand($"SELECT outcome_code, reason_code, purse_after FROM {schema}.debit($1, $2, $3, $4, $5)", connection)
        {
            Parameters = { _debitRequestId, _debitHolder, _debitMerchant, _debitTerminal, _debitAmount },
        };
        await using var reverse = new NpgsqlCommand($"SELECT outcome_code, reason_code, purse_after, refunded_fen FROM {schema}.reverse($1, $2, $3, $4)", connection)
        {
            Parameters = { _reverseRequestId, _reverseOriginal, _reverseHolder, _reverseTerminal },
        };
        _debitTerminal.TypedValue = _reverseTerminal.TypedValue = _terminalId;
        await debit.PrepareAsync();
        await reverse.PrepareAsync();
        (_debit, _reverse) = (debit, reverse);

        while (!window.IsClosed)
        {
            switch (_history.Choose(workload.NextAction(_random), _random, ++_round))
            {
                case (SwipeAction.Reverse, { } original):
                    await ReverseAsync(original);
                    break;
                case (SwipeAction.Retry, { } earlier):
                    await DebitAsync(earlier, retry: true);
                    break;
                default:
                    var account = workload.Cards.Next(_random);
                    await DebitAsync(new BaselineSwipe
                    {
                        Account = account,
                        RequestId = _ids.Next(),
                        MerchantId = _merchantId,
                        AmountFen = LunchPeak.NextAmount(_random),
                    }, retry: false);
                    break;
            }
        }
    }

    private async Task DebitAsync(BaselineSwipe swipe, bool retry)
    {
        _debitRequestId.TypedValue = swipe.RequestId;
        _debitHolder.TypedValue = swipe.Account + 1;
        _debitMerchant.TypedValue = swipe.MerchantId;
        _debitAmount.TypedValue = swipe.AmountFen;
        var started = Stopwatch.GetTimestamp();
        (short Outcome, short Reason, long PurseAfter) answer;
        try
        {
            await using var reader = await _debit.ExecuteReaderAsync(CommandBehavior.SingleRow);
            await reader.ReadAsync();
            answer = (reader.GetInt16(0), reader.GetInt16(1), reader.GetInt64(2));
        }
        catch (NpgsqlException e)
        {
            await FailedAsync(started, stats.DebitCalls, e);
            return;
        }
        var now = Stopwatch.GetTimestamp();
        if (!retry)
        {
            swipe.Answer = answer;
            swipe.Approved = answer.Outcome == Approved;
            if (swipe.Approved) ledger.ApprovedDebit(index, swipe.RequestId, swipe.Account, swipe.AmountFen);
            _history.Add(swipe);
        }
        if (!window.Counts(now, 1)) return;
        stats.Calls++;
        stats.Requests++;
        stats.DebitCalls.Record(MeasurementWindow.Micros(started, now));
        if (retry)
        {
            stats.Retries++;
            if (answer != swipe.Answer) stats.Error(TerminalStats.RetryMismatch);
        }
        else
        {
            stats.Debits++;
            if (swipe.Approved) stats.Approved++;
            else stats.Decline(answer.Reason);
        }
    }

    private async Task ReverseAsync(BaselineSwipe original)
    {
        var requestId = _ids.Next();
        _reverseRequestId.TypedValue = requestId;
        _reverseOriginal.TypedValue = original.RequestId;
        _reverseHolder.TypedValue = original.Account + 1;
        var started = Stopwatch.GetTimestamp();
        (short Outcome, short Reason, long RefundedFen) answer;
        try
        {
            await using var reader = await _reverse.ExecuteReaderAsync(CommandBehavior.SingleRow);
            await reader.ReadAsync();
            answer = (reader.GetInt16(0), reader.GetInt16(1), reader.GetInt64(3));
        }
        catch (NpgsqlException e)
        {
            await FailedAsync(started, stats.ReverseCalls, e);
            return;
        }
        var now = Stopwatch.GetTimestamp();
        if (answer.Outcome == Approved) ledger.ApprovedReversal(index, requestId, original.Account, answer.RefundedFen);
        if (!window.Counts(now, 1)) return;
        stats.Calls++;
        stats.Requests++;
        stats.Reversals++;
        stats.ReverseCalls.Record(MeasurementWindow.Micros(started, now));
        if (answer.Outcome != Approved) stats.Decline(answer.Reason);
        else if (answer.RefundedFen > 0) stats.Refunds++;
    }

    private async Task FailedAsync(long started, LatencyHistogram latency, NpgsqlException error)
    {
        var now = Stopwatch.GetTimestamp();
        if (window.Counts(now, 1))
        {
            stats.Calls++;
            stats.Requests++;
            latency.Record(MeasurementWindow.Micros(started, now));
            stats.Error(error is PostgresException postgres ? $"SQLSTATE {postgres.SqlState}" : error.GetType().Name);
        }
        // As for the service: no tight loop against a failing database.
        await Task.Delay(10);
    }
}
