using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Funding: what the bank gateway, the kiosks, the e-payment platform and the card office call.</summary>
internal sealed class FundingService(ClearingEngine engine) : Funding.FundingBase
{
    [Authorize(Roles = Roles.Bank)]
    public override Task<FundingReply> QuotaTopUp(QuotaTopUpRequest request, ServerCallContext context) => DecideAsync(new ClearingRequest
    {
        Kind = TransactionKind.QuotaTopUp,
        RequestId = request.RequestId,
        PersonNo = request.PersonNo,
        AmountFen = request.AmountFen,
        Channel = string.IsNullOrEmpty(request.Channel) ? QuotaTopUpKind.DefaultChannel : request.Channel,
        Caller = context.Caller(),
    }, context);

    [Authorize(Roles = Roles.Office)]
    public override Task<FundingReply> Credit(CreditRequest request, ServerCallContext context) => DecideAsync(new ClearingRequest
    {
        Kind = TransactionKind.Credit,
        RequestId = request.RequestId,
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
        };
    }
}
