using System.Diagnostics;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.LoadGen.Measurement;
using CampusCard.Clearing.LoadGen.Workload;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// A canteen terminal back online, uploading the debits it stored while offline (脱机流水上传) as fast as it can: each
/// upload is one UploadOffline stream of 100–500 new records (its own increasing sequence numbers, cards and amounts
/// of the lunch-peak workload, each card used a second after the one before, ending a second ago). It keeps records
/// until an upload answers them: a failed call, or a record the reply did not record, is sent again. --retries percent
/// of the uploads send the last answered upload again whole, whose every record must come back a duplicate.
/// </summary>
internal sealed class OfflineTerminal(
    int index, GrpcChannel channel, Metadata token, Population population, LunchPeak workload, OfflineLedger ledger,
    TerminalStats stats, MeasurementWindow window, double reuploadShare, TimeSpan deadline)
{
    public const int MinRecords = 100;
    public const int MaxRecords = 500;
    public const string UnexpectedDuplicate = "UNEXPECTED_DUPLICATE";

    /// <summary>Uploads of records still unanswered after the window closed, before the terminal gives up on them.</summary>
    private const int FinalAttempts = 5;

    private readonly Random _random = workload.RandomFor(index);
    private readonly List<OfflineRecord> _stored = [];
    private long _nextSeq = ledger.FirstSeq;
    private OfflineRecord[]? _lastAnswered;

    public async Task RunAsync()
    {
        while (!window.IsClosed)
        {
            if (_stored.Count == 0 && _lastAnswered is { } last && _random.NextDouble() < reuploadShare) await ReuploadAsync(last);
            else await UploadAsync();
        }
        for (var attempt = 0; _stored.Count > 0 && attempt < FinalAttempts; attempt++) await UploadAsync();
        ledger.Unacknowledged(index, _stored.Count);
    }

    /// <summary>Uploads the stored records, new ones when none are left from an earlier upload.</summary>
    private async Task UploadAsync()
    {
        var resending = _stored.Count > 0;
        if (!resending) Store(_random.Next(MinRecords, MaxRecords + 1));
        var records = _stored.ToArray();
        var started = Stopwatch.GetTimestamp();
        if (await TrySendAsync(records, started) is not { } reply) return;
        var now = Stopwatch.GetTimestamp();
        _stored.Clear();
        long answered = 0;
        for (var i = 0; i < records.Length; i++)
        {
            var result = reply.Results[i];
            if (result.Status is not null) _stored.Add(records[i]);
            else if (result.Outcome == Outcome.Approved)
            {
                ledger.Recorded(index, records[i].AmountFen);
                answered++;
            }
        }
        if (_stored.Count == 0) _lastAnswered = records;
        if (!window.Counts(now, records.Length)) return;
        Count(started, now, reply, records.Length, resending);
        stats.Approved += answered;
        if (!resending && reply.Duplicates > 0) stats.Error(UnexpectedDuplicate);
    }

    /// <summary>The upload's reply, or null when the call failed (counted as failed).</summary>
    private async Task<UploadOfflineReply?> TrySendAsync(OfflineRecord[] records, long started)
    {
        try
        {
            return await SendAsync(records);
        }
        catch (RpcException e)
        {
            await FailedAsync(started, records.Length, e);
            return null;
        }
    }

    /// <summary>An answered upload sent again: every record must be a duplicate, nothing recorded twice.</summary>
    private async Task ReuploadAsync(OfflineRecord[] records)
    {
        var started = Stopwatch.GetTimestamp();
        if (await TrySendAsync(records, started) is not { } reply) return;
        var now = Stopwatch.GetTimestamp();
        if (!window.Counts(now, records.Length)) return;
        Count(started, now, reply, records.Length, resending: true);
        if (reply.Duplicates != records.Length || reply.Results.Any(r => !r.Duplicate)) stats.Error(TerminalStats.RetryMismatch);
    }

    private void Store(int count)
    {
        var now = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var account = workload.Cards.Next(_random);
            ledger.Touch(population.Campus, account);
            _stored.Add(new OfflineRecord
            {
                TerminalSeq = _nextSeq++,
                CardNo = population.CardNos[account],
                AmountFen = LunchPeak.NextAmount(_random),
                OccurredAt = Timestamp.FromDateTime(now.AddSeconds(i - count)),
            });
        }
    }

    private async Task<UploadOfflineReply> SendAsync(OfflineRecord[] records)
    {
        using var call = new Terminal.TerminalClient(channel).UploadOffline(new CallOptions(token, DateTime.UtcNow + deadline));
        foreach (var record in records) await call.RequestStream.WriteAsync(record);
        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        if (reply.Results.Count != records.Length)
            throw new InvalidOperationException($"UploadOffline answered {reply.Results.Count} records for {records.Length}");
        return reply;
    }

    /// <summary>An upload answered in the window: its latency, its records as new debits or as records sent again, and what was not recorded.</summary>
    private void Count(long started, long now, UploadOfflineReply reply, int records, bool resending)
    {
        stats.Calls++;
        stats.Requests += records;
        stats.DebitCalls.Record(MeasurementWindow.Micros(started, now));
        if (resending) stats.Retries += records;
        else stats.Debits += records;
        foreach (var result in reply.Results)
        {
            if (result.Status is not null) stats.Error(((StatusCode)result.Status.Code).ToString());
            else if (result.Outcome != Outcome.Approved) stats.Decline((int)result.DeclineReason);
        }
    }

    private async Task FailedAsync(long started, int records, RpcException error)
    {
        var now = Stopwatch.GetTimestamp();
        if (window.Counts(now, records))
        {
            stats.Calls++;
            stats.Requests += records;
            stats.DebitCalls.Record(MeasurementWindow.Micros(started, now));
            stats.Error(error.StatusCode.ToString());
        }
        // A failing service is not hammered in a tight loop, as a real terminal would not.
        await Task.Delay(10);
    }
}
