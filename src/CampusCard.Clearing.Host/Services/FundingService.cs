using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Funding: what the bank gateway, the kiosks, the e-payment platform and the card office call.</summary>
internal sealed class FundingService(ClearingEngine engine, AutoTopUps autoTopUps) : Funding.FundingBase
{
    [Authorize(Roles = Roles.Bank)]
    public override Task<FundingReply> QuotaTopUp(QuotaTopUpRequest request, ServerCallContext context) => DecideAsync(new ClearingRequest
    {
        Kind = TransactionKind.QuotaTopUp,
        RequestId = request.RequestId,
        Campus = context.Caller().Campus,
        PersonNo = request.PersonNo,
        AmountFen = request.AmountFen,
        Channel = string.IsNullOrEmpty(request.Channel) ? QuotaTopUpKind.DefaultChannel : request.Channel,
        Ref = request.AutoTopUpId,
        Caller = context.Caller(),
    }, context);

    [Authorize(Roles = Roles.Bank)]
    public override Task<FundingReply> TopUpWallet(TopUpWalletRequest request, ServerCallContext context) => DecideAsync(new ClearingRequest
    {
        Kind = TransactionKind.TopUpWallet,
        RequestId = request.RequestId,
        Campus = context.Caller().Campus,
        PersonNo = request.PersonNo,
        AmountFen = request.AmountFen,
        Caller = context.Caller(),
    }, context);

    [Authorize(Roles = Roles.Bank)]
    public override async Task WatchAutoTopUps(WatchAutoTopUpsRequest request, IServerStreamWriter<Contracts.V1.AutoTopUpRequest> responseStream, ServerCallContext context)
    {
        Validation.Require(request.SinceId < 0 ? Validation.Fail("since_id", "may not be negative") : null);
        await foreach (var r in autoTopUps.WatchAsync(context.Caller().Campus, request.SinceId, context.CancellationToken))
        {
            await responseStream.WriteAsync(new Contracts.V1.AutoTopUpRequest
            {
                Id = r.Id,
                PersonNo = r.PersonNo,
                AmountFen = r.AmountFen,
                BalanceFen = r.BalanceFen,
                RequestedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(r.RequestedAt),
                ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(r.ExpiresAt),
            }, context.CancellationToken);
        }
    }

    [Authorize(Roles = Roles.Office)]
    public override Task<FundingReply> Credit(CreditRequest request, ServerCallContext context) => DecideAsync(new ClearingRequest
    {
        Kind = TransactionKind.Credit,
        RequestId = request.RequestId,
        Campus = context.Caller().Campus,
        PersonNo = request.PersonNo,
        AmountFen = request.AmountFen,
        Source = (Domain.SystemAccount)request.Source,
        Memo = request.Memo,
        Caller = context.Caller(),
    }, context);

    [Authorize(Roles = $"{Roles.Kiosk},{Roles.Payments}")]
    public override Task<FundingReply> Transfer(TransferRequest request, ServerCallContext context) => DecideAsync(new ClearingRequest
    {
        Kind = TransactionKind.Transfer,
        RequestId = request.RequestId,
        Campus = context.Caller().Campus,
        PersonNo = request.PersonNo,
        AmountFen = request.AmountFen,
        Direction = (Domain.TransferDirection)request.Direction,
        Caller = context.Caller(),
    }, context);

    private async Task<FundingReply> DecideAsync(ClearingRequest request, ServerCallContext context)
    {
        var decision = await engine.DecideAsync(request, context.CancellationToken);
        return new FundingReply
        {
            Outcome = decision.Outcome(),
            DeclineReason = decision.Reason(),
            TransactionId = decision.TransactionId,
            Balances = decision.Balances.ToMessage(),
            DecidedAt = decision.DecidedAt(),
            Effect = (Contracts.V1.Effect)decision.Effect,
        };
    }
}
