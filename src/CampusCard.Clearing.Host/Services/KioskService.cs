using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Kiosk: what self-service kiosks do for the cardholder at them.</summary>
[Authorize(Roles = Roles.Kiosk)]
internal sealed class KioskService(CardOffice office) : Kiosk.KioskBase
{
    public override async Task<ClaimPendingReply> ClaimPending(ClaimPendingRequest request, ServerCallContext context)
    {
        var decision = await office.ClaimPendingAsync(request.RequestId, request.CardNo, context.Caller(), context.CancellationToken);
        return new ClaimPendingReply
        {
            Outcome = decision.Outcome(),
            DeclineReason = decision.Reason(),
            TransactionId = decision.TransactionId,
            ClaimedFen = decision.MovedFen,
            Balances = decision.Balances.ToMessage(),
            DecidedAt = decision.DecidedAt(),
        };
    }

    public override async Task<CardReply> SetAutoTopUp(SetAutoTopUpRequest request, ServerCallContext context) =>
        (await office.SetAutoTopUpAsync(request.RequestId, request.CardNo, request.Pin, request.ThresholdFen, request.AmountFen, context.Caller(),
            context.CancellationToken)).ToCardReply(request.CardNo);

    public override async Task<CardReply> CancelLoss(KioskCancelLossRequest request, ServerCallContext context) =>
        (await office.CancelLossAtKioskAsync(request.RequestId, request.PersonNo, request.Pin, request.IdNumber, context.Caller(), context.CancellationToken)).ToCardReply("");

    public override async Task<CardReply> RewriteCard(RewriteCardRequest request, ServerCallContext context) =>
        (await office.ChangeStateAsync(new ClearingRequest
        {
            Kind = TransactionKind.RewriteCard,
            RequestId = request.RequestId,
            Campus = context.Caller().Campus,
            CardNo = request.CardNo,
            Caller = context.Caller(),
        }, context.CancellationToken)).ToCardReply(request.CardNo);

    public override async Task<CardReply> ChangePin(ChangePinRequest request, ServerCallContext context) =>
        (await office.ChangePinAsync(request.RequestId, request.CardNo, request.OldPin, request.NewPin, context.Caller(), context.CancellationToken)).ToCardReply(request.CardNo);

    public override async Task<CardReply> SetLimits(SetLimitsRequest request, ServerCallContext context) =>
        (await office.SetLimitsAsync(request.RequestId, request.CardNo, request.Pin, request.SingleLimitFen, request.DailyLimitFen, context.Caller(),
            context.CancellationToken)).ToCardReply(request.CardNo);
}
