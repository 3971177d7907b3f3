using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Grpc;
using CampusCard.Clearing.Contracts.V1;
using static CampusCard.Clearing.Host.Services.ClearingCalls;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Terminal: what POS terminals call.</summary>
internal sealed class TerminalService(ClearingPipeline pipeline, Directory directory, IHotStore hot)
{
    public ServerServiceDefinition Bind() => ServerServiceDefinition.CreateBuilder()
        .AddMethod(TerminalMethods.Debit, Debit)
        .AddMethod(TerminalMethods.Reverse, Reverse)
        .AddMethod(TerminalMethods.GetBalance, GetBalance)
        .AddMethod(TerminalMethods.DebitBatch, DebitBatch)
        .Build();

    public const int MaxBatchItems = 1_000;

    public async Task<DebitReply> Debit(DebitRequest request, ServerCallContext context)
    {
        Require(ValidateDebit(request));
        return ToReply(await pipeline.SubmitAsync(await ToClearingRequestAsync(request, context.CancellationToken), context));
    }

    public async Task<DebitBatchReply> DebitBatch(DebitBatchRequest request, ServerCallContext context)
    {
        Require(
            request.Debits.Count == 0 ? "debits is empty" : null,
            request.Debits.Count > MaxBatchItems ? $"debits holds more than {MaxBatchItems} items" : null);
        for (var i = 0; i < request.Debits.Count; i++)
            if (ValidateDebit(request.Debits[i]) is { } failure) Require($"debits[{i}]: {failure}");
        var requests = new ClearingRequest[request.Debits.Count];
        for (var i = 0; i < requests.Length; i++) requests[i] = await ToClearingRequestAsync(request.Debits[i], context.CancellationToken);
        var decisions = await Task.WhenAll(requests.Select(r => pipeline.SubmitAsync(r, context)));
        var reply = new DebitBatchReply();
        reply.Replies.AddRange(decisions.Select(ToReply));
        return reply;
    }

    private static string? ValidateDebit(DebitRequest request) => Validation.First(
        Validation.RequestId(request.RequestId),
        Validation.Identifier("card_no", request.CardNo, 32),
        Validation.Identifier("merchant_id", request.MerchantId, 32),
        Validation.Identifier("terminal_id", request.TerminalId, 32),
        Validation.Amount(request.AmountFen));

    private async ValueTask<ClearingRequest> ToClearingRequestAsync(DebitRequest request, CancellationToken cancellationToken)
    {
        var (holderId, issue, preDecline) = ResolveCard(request.CardNo);
        var merchantNo = await directory.MerchantNoAsync(request.MerchantId, cancellationToken);
        if (merchantNo == 0 && preDecline == Domain.DeclineReason.None) preDecline = Domain.DeclineReason.UnknownMerchant;
        return new ClearingRequest
        {
            Kind = TransactionKind.Debit,
            RequestId = request.RequestId,
            HolderId = holderId,
            CardIssue = issue,
            AmountFen = request.AmountFen,
            MerchantId = request.MerchantId,
            MerchantNo = merchantNo,
            TerminalId = request.TerminalId,
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

    public async Task<ReverseReply> Reverse(ReverseRequest request, ServerCallContext context)
    {
        Require(
            Validation.RequestId(request.RequestId),
            Validation.RequestId(request.OriginalRequestId, "original_request_id"),
            request.RequestId == request.OriginalRequestId ? "original_request_id must differ from request_id" : null,
            Validation.Identifier("card_no", request.CardNo, 32),
            Validation.Identifier("terminal_id", request.TerminalId, 32));
        var (holderId, _, preDecline) = ResolveCard(request.CardNo);
        var decision = await pipeline.SubmitAsync(new ClearingRequest
        {
            Kind = TransactionKind.Reversal,
            RequestId = request.RequestId,
            HolderId = holderId,
            OriginalRequestId = request.OriginalRequestId,
            TerminalId = request.TerminalId,
            PreDecline = preDecline,
        }, context);
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

    public async Task<GetBalanceReply> GetBalance(GetBalanceRequest request, ServerCallContext context)
    {
        Require(Validation.Identifier("card_no", request.CardNo, 32));
        var (holderId, issue, _) = ResolveCard(request.CardNo);
        var state = holderId == 0 ? null : await hot.GetHolderAsync(holderId);
        var personNo = state is null || state.CardIssue != issue ? null : await directory.PersonNoAsync(holderId, context.CancellationToken);
        if (state is null || personNo is null)
            throw new RpcException(new Status(StatusCode.NotFound, $"no live card {request.CardNo}"));
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
