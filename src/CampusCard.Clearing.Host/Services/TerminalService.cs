using CampusCard.Clearing.Contracts.V1;
using ErrorReason = CampusCard.Clearing.Domain.ErrorReason;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Internal;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Terminal: what POS terminals call.</summary>
internal sealed class TerminalService(
    ClearingEngine engine, CardOffice office, CardStatusFeed feed, OfflineRecords offline, Directory directory, TimeProvider clock) : Terminal.TerminalBase
{
    [Authorize(Roles = Roles.Terminal)]
    public override async Task WatchCardStatus(WatchCardStatusRequest request, IServerStreamWriter<Contracts.V1.CardStatusChange> responseStream, ServerCallContext context)
    {
        Validation.Require(request.SinceVersion < 0 ? Validation.Fail("since_version", "may not be negative") : null);
        await foreach (var change in feed.WatchAsync(context.Caller().Campus, request.SinceVersion, context.CancellationToken))
        {
            await responseStream.WriteAsync(new Contracts.V1.CardStatusChange
            {
                Version = change.Version,
                CardNo = change.CardNo,
                State = (Contracts.V1.CardState)change.State,
                Refused = change.Refused,
                Replaced = change.Replaced,
            }, context.CancellationToken);
        }
    }

    public const int MaxBatchItems = 1_000;

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<DebitReply> Debit(DebitRequest request, ServerCallContext context)
    {
        var debit = ToClearingRequest(request, await TerminalOfAsync(context, request.MerchantId, request.TerminalId), context.Caller());
        if (request.Pin.Length > 0) debit = debit with { Pin = await office.PinForCardAsync(debit.Campus, request.CardNo, request.Pin, context.CancellationToken, acrossGroup: true) };
        return ToReply(await engine.DecideAsync(debit, context.CancellationToken));
    }

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<DebitBatchReply> DebitBatch(DebitBatchRequest request, ServerCallContext context)
    {
        Validation.Require(
            request.Debits.Count == 0 ? Validation.Fail("debits", "is empty") : null,
            request.Debits.Count > MaxBatchItems ? Validation.Fail("debits", $"holds more than {MaxBatchItems} items") : null);
        var caller = context.Caller();
        var debits = new ClearingRequest[request.Debits.Count];
        for (var i = 0; i < debits.Length; i++)
        {
            var item = request.Debits[i];
            debits[i] = ToClearingRequest(item, await TerminalOfAsync(context, item.MerchantId, item.TerminalId), caller);
            if (item.Pin.Length > 0) debits[i] = debits[i] with { Pin = await office.PinForCardAsync(debits[i].Campus, item.CardNo, item.Pin, context.CancellationToken, acrossGroup: true) };
        }
        RequireOneContentPerRequestId(debits);
        var answers = engine.SubmitAll(debits, "debits", context.CancellationToken);
        var reply = new DebitBatchReply();
        for (var i = 0; i < debits.Length; i++) reply.Replies.Add(await ItemReplyAsync(answers[i], debits[i]));
        return reply;
    }

    /// <summary>Two items under one request id are one request sent twice, or malformed input that decides nothing.</summary>
    private static void RequireOneContentPerRequestId(ClearingRequest[] debits)
    {
        var first = new Dictionary<(string, string), int>();
        for (var i = 0; i < debits.Length; i++)
        {
            if (!first.TryAdd((debits[i].Scope, debits[i].RequestId), i) && debits[first[(debits[i].Scope, debits[i].RequestId)]].Fingerprint != debits[i].Fingerprint)
                throw RefusedException.Invalid($"debits[{i}].request_id", $"debits[{i}] reuses the request_id of debits[{first[(debits[i].Scope, debits[i].RequestId)]}] for a different debit");
        }
    }

    /// <summary>An item's own answer: its decision, or the status of what kept it from being decided.</summary>
    private static async Task<DebitReply> ItemReplyAsync(Task<ClearingAnswer> answer, ClearingRequest debit)
    {
        try
        {
            return ToReply(ClearingEngine.DecisionOf(await answer, debit));
        }
        catch (RefusedException e)
        {
            return new DebitReply { Status = RefusalStatus.ToItemStatus(e) };
        }
    }

    /// <summary>
    /// The calling terminal's live registration. A terminal acts only as itself and for its own merchant: ids in the
    /// request may be left out, and when given they must be the token's (its registration was checked at authentication).
    /// </summary>
    private async ValueTask<Domain.TerminalRegistration> TerminalOfAsync(ServerCallContext context, string merchantId, string terminalId)
    {
        Validation.Require(Validation.Optional("merchant_id", merchantId, 32), Validation.Optional("terminal_id", terminalId, 32));
        var caller = context.Caller();
        if (merchantId.Length > 0 && merchantId != caller.MerchantId)
            throw new RefusedException(ErrorReason.OtherMerchant, $"terminal {caller.TerminalId} acts for merchant {caller.MerchantId}, not for {merchantId}");
        if (terminalId.Length > 0 && terminalId != caller.TerminalId)
            throw new RefusedException(ErrorReason.OtherTerminal, $"this token is terminal {caller.TerminalId}'s, not {terminalId}'s");
        return await directory.TerminalAsync(caller.Campus, caller.TerminalId, context.CancellationToken) is { IsRevoked: false } registration
            ? registration
            : throw new RefusedException(ErrorReason.TerminalNotRegistered, $"terminal {caller.TerminalId} is not registered");
    }

    private static ClearingRequest ToClearingRequest(DebitRequest request, Domain.TerminalRegistration terminal, Caller caller) => new()
    {
        Kind = TransactionKind.Debit,
        RequestId = request.RequestId,
        Campus = terminal.Campus,
        CardNo = request.CardNo,
        AmountFen = request.AmountFen,
        MerchantId = terminal.MerchantId,
        MerchantNo = terminal.MerchantNo,
        TerminalId = terminal.TerminalId,
        Caller = caller,
    };

    private static DebitReply ToReply(Decision decision) => new()
    {
        Outcome = decision.Outcome(),
        DeclineReason = decision.Reason(),
        TransactionId = decision.TransactionId,
        BalanceFen = decision.Balances.PurseFen,
        DecidedAt = decision.DecidedAt(),
        ClaimedFen = decision.SideFen,
        Balances = decision.Balances.ToMessage(),
    };

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<HoldReply> Hold(HoldRequest request, ServerCallContext context)
    {
        var terminal = await TerminalOfAsync(context, "", request.TerminalId);
        var hold = ByTerminal(TransactionKind.Hold, request.RequestId, request.CardNo, terminal, context.Caller()) with { AmountFen = request.MaxFen, Ref = request.TtlSeconds };
        return ToHoldReply(await engine.DecideAsync(hold, context.CancellationToken));
    }

    [Authorize(Roles = Roles.Terminal)]
    public override Task<HoldReply> SettleHold(SettleHoldRequest request, ServerCallContext context) =>
        CloseHoldAsync(TransactionKind.SettleHold, request.RequestId, request.HoldRequestId, request.CardNo, request.AmountFen, request.TerminalId, context);

    [Authorize(Roles = Roles.Terminal)]
    public override Task<HoldReply> ReleaseHold(ReleaseHoldRequest request, ServerCallContext context) =>
        CloseHoldAsync(TransactionKind.ReleaseHold, request.RequestId, request.HoldRequestId, request.CardNo, 0, request.TerminalId, context);

    private async Task<HoldReply> CloseHoldAsync(
        TransactionKind kind, string requestId, string holdRequestId, string cardNo, long amountFen, string terminalId, ServerCallContext context)
    {
        var terminal = await TerminalOfAsync(context, "", terminalId);
        var close = ByTerminal(kind, requestId, cardNo, terminal, context.Caller()) with { OriginalRequestId = holdRequestId, AmountFen = amountFen };
        return ToHoldReply(await engine.DecideAsync(close, context.CancellationToken));
    }

    private static HoldReply ToHoldReply(Decision decision) => new()
    {
        Outcome = decision.Outcome(),
        DeclineReason = decision.Reason(),
        TransactionId = decision.TransactionId,
        AmountFen = decision.MovedFen,
        ReleasedFen = decision.SideFen,
        Balances = decision.Balances.ToMessage(),
        Deadline = decision.DeadlineMs > 0 ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(decision.DeadlineMs)) : null,
        DecidedAt = decision.DecidedAt(),
    };

    /// <summary>Records of one upload at most; a terminal uploads what it stored since it was last online.</summary>
    public const int MaxOfflineRecords = 100_000;

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<UploadOfflineReply> UploadOffline(IAsyncStreamReader<OfflineRecord> requestStream, ServerCallContext context)
    {
        var terminal = await TerminalOfAsync(context, "", "");
        var caller = context.Caller();
        var records = new List<OfflineRecord>();
        await foreach (var record in requestStream.ReadAllAsync(context.CancellationToken))
        {
            Validation.Require(records.Count >= MaxOfflineRecords ? new Violation("records", $"an upload holds at most {MaxOfflineRecords} records") : null);
            records.Add(record);
        }
        var reply = new UploadOfflineReply();
        foreach (var chunk in records.Chunk(MaxBatchItems))
        {
            var requests = new List<(OfflineRecord Record, ClearingRequest? Request, ItemStatus? Refused)>(chunk.Length);
            foreach (var record in chunk)
            {
                var refused = record.TerminalId.Length > 0 && record.TerminalId != terminal.TerminalId
                    ? RefusalStatus.ToItemStatus(new RefusedException(ErrorReason.OtherTerminal, $"this token is terminal {terminal.TerminalId}'s, not {record.TerminalId}'s"))
                    : Validation.First(record.OccurredAt is null ? Validation.Fail("occurred_at", "is required") : null, Time("occurred_at", record.OccurredAt)) is { } invalid
                        ? RefusalStatus.ToItemStatus(RefusedException.Invalid(invalid))
                        : null;
                requests.Add((record, refused is null ? ToOfflineRequest(record, terminal, caller) : null, refused));
            }
            foreach (var result in await DecideOfflineAsync(terminal.Campus, terminal.TerminalId, requests, context.CancellationToken)) reply.Results.Add(result);
        }
        foreach (var r in reply.Results)
        {
            if (r.Status is not null) reply.Failed++;
            else if (r.Duplicate) reply.Duplicates++;
            else if (r.Outcome == Contracts.V1.Outcome.Approved) reply.Recorded++;
            if (r.Effect is Contracts.V1.Effect.UsedWhileLost or Contracts.V1.Effect.UsedAfterReplacement or Contracts.V1.Effect.UsedAfterClose) reply.Flagged++;
        }
        return reply;
    }

    /// <summary>Each record's own result: a malformed one is refused alone, the others are decided together.</summary>
    private async Task<List<OfflineResult>> DecideOfflineAsync(
        short campus, string terminalId, List<(OfflineRecord Record, ClearingRequest? Request, ItemStatus? Refused)> items, CancellationToken ct)
    {
        var admitted = items.Where(i => i.Request is not null).Select(i => i.Request!).ToList();
        var answers = await offline.SubmitAsync(campus, terminalId, admitted, ct);
        var results = new List<OfflineResult>(items.Count);
        var next = 0;
        foreach (var (record, request, refused) in items)
        {
            var result = new OfflineResult { TerminalSeq = record.TerminalSeq, Status = refused };
            results.Add(result);
            if (request is null) continue;
            try
            {
                var answer = await answers[next++];
                var d = ClearingEngine.DecisionOf(answer, request);
                result.Outcome = d.Outcome();
                result.DeclineReason = d.Reason();
                result.TransactionId = d.TransactionId;
                result.Effect = (Contracts.V1.Effect)d.Effect;
                result.Duplicate = answer.Outcome == HotOutcome.Replay;
                result.BalanceFen = d.Balances.PurseFen;
                result.CardState = (Contracts.V1.CardState)d.CardState;
            }
            catch (RefusedException e)
            {
                result.Status = RefusalStatus.ToItemStatus(e);
            }
        }
        return results;
    }

    private static ClearingRequest ToOfflineRequest(OfflineRecord record, Domain.TerminalRegistration terminal, Caller caller) =>
        ByTerminal(TransactionKind.OfflineDebit, OfflineDebitKind.RequestIdOf(terminal.TerminalId, record.TerminalSeq), record.CardNo, terminal, caller) with
        {
            AmountFen = record.AmountFen,
            Ref = record.TerminalSeq,
            OccurredAtMs = record.OccurredAt.ToDateTimeOffset().ToUnixTimeMilliseconds(),
        };

    /// <summary>A request of this terminal, for its merchant, about the card presented.</summary>
    private static ClearingRequest ByTerminal(TransactionKind kind, string requestId, string cardNo, Domain.TerminalRegistration terminal, Caller caller) => new()
    {
        Kind = kind,
        RequestId = requestId,
        Campus = terminal.Campus,
        CardNo = cardNo,
        MerchantId = terminal.MerchantId,
        MerchantNo = terminal.MerchantNo,
        TerminalId = terminal.TerminalId,
        Caller = caller,
    };

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<ReverseReply> Reverse(ReverseRequest request, ServerCallContext context)
    {
        var terminal = await TerminalOfAsync(context, "", request.TerminalId);
        var reversal = ByTerminal(TransactionKind.Reversal, request.RequestId, request.CardNo, terminal, context.Caller()) with { OriginalRequestId = request.OriginalRequestId };
        var decision = await engine.DecideAsync(reversal, context.CancellationToken);
        return new ReverseReply
        {
            Outcome = decision.Outcome(),
            DeclineReason = decision.Reason(),
            TransactionId = decision.TransactionId,
            BalanceFen = decision.Balances.PurseFen,
            Effect = (Contracts.V1.ReversalEffect)decision.Effect,
            ReversedAmountFen = decision.MovedFen,
            DecidedAt = decision.DecidedAt(),
        };
    }

    [Authorize(Roles = $"{Roles.Terminal},{Roles.Kiosk}")]
    public override async Task<GetBalanceReply> GetBalance(GetBalanceRequest request, ServerCallContext context)
    {
        Validation.Require(Validation.Identifier("card_no", request.CardNo, 32));
        // A terminal reads a card of its campus's card group as it takes it (校区通用); a kiosk, its campus's own.
        var state = await engine.ReadCardAsync(context.Caller().Campus, request.CardNo, acrossGroup: context.Caller().Role == CallerRole.Terminal);
        if (state is null || state.Card != CardNumbers.Fingerprint(request.CardNo))
            throw new RefusedException(ErrorReason.CardNotFound, $"no live card {request.CardNo}");
        return new GetBalanceReply
        {
            CardNo = request.CardNo,
            PersonNo = state.PersonNo,
            CardState = (Contracts.V1.CardState)state.CardState,
            Balances = state.Balances.ToMessage(),
            BalanceFen = state.Balances.PurseFen,
            Status = state.ToStatus(engine.RulesOf(state.Campus), clock.GetUtcNow()),
        };
    }
}
