using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Terminal: what POS terminals call.</summary>
internal sealed class TerminalService(ClearingPipeline pipeline, Directory directory, IHotStore hot) : Terminal.TerminalBase
{
    public const int MaxBatchItems = 1_000;

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<DebitReply> Debit(DebitRequest request, ServerCallContext context)
    {
        Require(ValidateDebit(request));
        var terminal = await TerminalOfAsync(context, request.MerchantId, request.TerminalId);
        return ToReply(await pipeline.DecideAsync(ToClearingRequest(request, terminal), context.CancellationToken));
    }

    [Authorize(Roles = Roles.Terminal)]
    public override async Task<DebitBatchReply> DebitBatch(DebitBatchRequest request, ServerCallContext context)
    {
        Require(
            request.Debits.Count == 0 ? "debits is empty" : null,
            request.Debits.Count > MaxBatchItems ? $"debits holds more than {MaxBatchItems} items" : null);
        for (var i = 0; i < request.Debits.Count; i++)
            if (ValidateDebit(request.Debits[i]) is { } failure) Require($"debits[{i}]: {failure}");
        var requests = new ClearingRequest[request.Debits.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            var item = request.Debits[i];
            requests[i] = ToClearingRequest(item, await TerminalOfAsync(context, item.MerchantId, item.TerminalId));
        }
        var decisions = await Task.WhenAll(requests.Select(r => pipeline.DecideAsync(r, context.CancellationToken)));
        var reply = new DebitBatchReply();
        reply.Replies.AddRange(decisions.Select(ToReply));
        return reply;
    }

    private static string? ValidateDebit(DebitRequest request) => Validation.First(
        Validation.RequestId(request.RequestId),
        Validation.Identifier("card_no", request.CardNo, 32),
        Validation.Optional("merchant_id", request.MerchantId, 32),
        Validation.Optional("terminal_id", request.TerminalId, 32),
        Validation.Amount(request.AmountFen));

    /// <summary>
    /// The calling terminal's live registration. A terminal acts only as itself and for its own merchant: ids in the
    /// request may be left out, and when given they must be the token's (its registration was checked at authentication).
    /// </summary>
    private async ValueTask<Domain.TerminalRegistration> TerminalOfAsync(ServerCallContext context, string merchantId, string terminalId)
    {
        var caller = context.Caller();
        if (merchantId.Length > 0 && merchantId != caller.MerchantId)
            throw new RefusedException(Refusal.PermissionDenied, $"terminal {caller.TerminalId} acts for merchant {caller.MerchantId}, not for {merchantId}");
        if (terminalId.Length > 0 && terminalId != caller.TerminalId)
            throw new RefusedException(Refusal.PermissionDenied, $"this token is terminal {caller.TerminalId}'s, not {terminalId}'s");
        return await directory.TerminalAsync(caller.TerminalId, context.CancellationToken) is { IsRevoked: false } registration
            ? registration
            : throw new RefusedException(Refusal.PermissionDenied, $"terminal {caller.TerminalId} is not registered");
    }

    private static ClearingRequest ToClearingRequest(DebitRequest request, Domain.TerminalRegistration terminal)
    {
        var (holderId, issue, preDecline) = ResolveCard(request.CardNo);
        return new ClearingRequest
        {
            Kind = TransactionKind.Debit,
            RequestId = request.RequestId,
            HolderId = holderId,
            CardIssue = issue,
            AmountFen = request.AmountFen,
            MerchantId = terminal.MerchantId,
            MerchantNo = terminal.MerchantNo,
            TerminalId = terminal.TerminalId,
            PreDecline = preDecline,
        };
    }

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
        Require(
            Validation.RequestId(request.RequestId),
            Validation.RequestId(request.OriginalRequestId, "original_request_id"),
            request.RequestId == request.OriginalRequestId ? "original_request_id must differ from request_id" : null,
            Validation.Identifier("card_no", request.CardNo, 32),
            Validation.Optional("terminal_id", request.TerminalId, 32));
        var terminal = await TerminalOfAsync(context, "", request.TerminalId);
        var (holderId, _, preDecline) = ResolveCard(request.CardNo);
        var decision = await pipeline.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.Reversal,
            RequestId = request.RequestId,
            HolderId = holderId,
            OriginalRequestId = request.OriginalRequestId,
            TerminalId = terminal.TerminalId,
            PreDecline = preDecline,
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
        var (holderId, issue, _) = ResolveCard(request.CardNo);
        var state = holderId == 0 ? null : await hot.GetHolderAsync(holderId);
        var personNo = state is null || state.CardIssue != issue ? null : await directory.PersonNoAsync(holderId, context.CancellationToken);
        if (state is null || personNo is null)
            throw new RefusedException(Refusal.NotFound, $"no live card {request.CardNo}");
        return new GetBalanceReply
        {
            CardNo = request.CardNo,
            PersonNo = personNo,
            CardState = (Contracts.V1.CardState)state.CardState,
            Balances = state.Balances.ToMessage(),
            BalanceFen = state.Balances.PurseFen,
        };
    }
}
