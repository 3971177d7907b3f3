using CampusCard.Clearing.Contracts.V1;
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
internal sealed class TerminalService(ClearingEngine engine, CardOffice office, CardStatusFeed feed, Directory directory, TimeProvider clock) : Terminal.TerminalBase
{
    [Authorize(Roles = Roles.Terminal)]
    public override async Task WatchCardStatus(WatchCardStatusRequest request, IServerStreamWriter<Contracts.V1.CardStatusChange> responseStream, ServerCallContext context)
    {
        Require(request.SinceVersion < 0 ? "since_version may not be negative" : null);
        await foreach (var change in feed.WatchAsync(request.SinceVersion, context.CancellationToken))
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
        if (request.Pin.Length > 0) debit = debit with { Pin = await office.PinForCardAsync(request.CardNo, request.Pin, context.CancellationToken) };
        return ToReply(await engine.DecideAsync(debit, context.CancellationToken));
    }

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<DebitBatchReply> DebitBatch(DebitBatchRequest request, ServerCallContext context)
    {
        Require(
            request.Debits.Count == 0 ? "debits is empty" : null,
            request.Debits.Count > MaxBatchItems ? $"debits holds more than {MaxBatchItems} items" : null);
        var caller = context.Caller();
        var debits = new ClearingRequest[request.Debits.Count];
        for (var i = 0; i < debits.Length; i++)
        {
            var item = request.Debits[i];
            debits[i] = ToClearingRequest(item, await TerminalOfAsync(context, item.MerchantId, item.TerminalId), caller);
            if (item.Pin.Length > 0) debits[i] = debits[i] with { Pin = await office.PinForCardAsync(item.CardNo, item.Pin, context.CancellationToken) };
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
                throw RefusedException.Invalid($"debits[{i}] reuses the request_id of debits[{first[(debits[i].Scope, debits[i].RequestId)]}] for a different debit");
        }
    }

    /// <summary>An item's own answer: its decision, or the status of what kept it from being decided.</summary>
    private static async Task<DebitReply> ItemReplyAsync(Task<ClearingAnswer> answer, ClearingRequest debit)
    {
        try
        {
            return ToReply(DecisionOf(await answer, debit));
        }
        catch (RefusedException e)
        {
            return new DebitReply { Status = new ItemStatus { Code = (int)ErrorInterceptor.Code(e.Refusal), Message = e.Message } };
        }
    }

    /// <summary>
    /// The calling terminal's live registration. A terminal acts only as itself and for its own merchant: ids in the
    /// request may be left out, and when given they must be the token's (its registration was checked at authentication).
    /// </summary>
    private async ValueTask<Domain.TerminalRegistration> TerminalOfAsync(ServerCallContext context, string merchantId, string terminalId)
    {
        Require(Validation.Optional("merchant_id", merchantId, 32), Validation.Optional("terminal_id", terminalId, 32));
        var caller = context.Caller();
        if (merchantId.Length > 0 && merchantId != caller.MerchantId)
            throw new RefusedException(Refusal.PermissionDenied, $"terminal {caller.TerminalId} acts for merchant {caller.MerchantId}, not for {merchantId}");
        if (terminalId.Length > 0 && terminalId != caller.TerminalId)
            throw new RefusedException(Refusal.PermissionDenied, $"this token is terminal {caller.TerminalId}'s, not {terminalId}'s");
        return await directory.TerminalAsync(caller.TerminalId, context.CancellationToken) is { IsRevoked: false } registration
            ? registration
            : throw new RefusedException(Refusal.PermissionDenied, $"terminal {caller.TerminalId} is not registered");
    }

    private static ClearingRequest ToClearingRequest(DebitRequest request, Domain.TerminalRegistration terminal, Caller caller) => new()
    {
        Kind = TransactionKind.Debit,
        RequestId = request.RequestId,
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
    };

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<ReverseReply> Reverse(ReverseRequest request, ServerCallContext context)
    {
        var terminal = await TerminalOfAsync(context, "", request.TerminalId);
        var decision = await engine.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.Reversal,
            RequestId = request.RequestId,
            CardNo = request.CardNo,
            OriginalRequestId = request.OriginalRequestId,
            MerchantId = terminal.MerchantId,
            MerchantNo = terminal.MerchantNo,
            TerminalId = terminal.TerminalId,
            Caller = context.Caller(),
        }, context.CancellationToken);
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
        Require(Validation.Identifier("card_no", request.CardNo, 32));
        var state = await engine.ReadCardAsync(request.CardNo);
        if (state is null || state.Card != CardNumbers.Fingerprint(request.CardNo))
            throw new RefusedException(Refusal.NotFound, $"no live card {request.CardNo}");
        return new GetBalanceReply
        {
            CardNo = request.CardNo,
            PersonNo = state.PersonNo,
            CardState = (Contracts.V1.CardState)state.CardState,
            Balances = state.Balances.ToMessage(),
            BalanceFen = state.Balances.PurseFen,
            Status = state.ToStatus(engine.Calendar.DayNumber(clock.GetUtcNow()), office.PinAttempts),
        };
    }
}
