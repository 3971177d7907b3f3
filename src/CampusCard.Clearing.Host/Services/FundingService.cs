using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using static CampusCard.Clearing.Host.Services.ClearingCalls;
using Directory = CampusCard.Clearing.Engine.Directory;

namespace CampusCard.Clearing.Host.Services;

/// <summary>The top-up channels' rules by name, from the "Channels" configuration section.</summary>
public sealed class ChannelOptions : Dictionary<string, ChannelRules>
{
    public ChannelOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>campuscard.clearing.v1.Funding: what the bank gateway and the e-payment platform call.</summary>
internal sealed class FundingService(ClearingPipeline pipeline, Directory directory, TimeProvider clock, IOptions<ChannelOptions> channels) : Funding.FundingBase
{
    private const string DefaultChannel = "bank";

    [Authorize(Roles = Roles.Bank)]
    public override async Task<FundingReply> QuotaTopUp(QuotaTopUpRequest request, ServerCallContext context)
    {
        var channel = string.IsNullOrEmpty(request.Channel) ? DefaultChannel : request.Channel;
        Require(
            Validation.RequestId(request.RequestId),
            Validation.Identifier("person_no", request.PersonNo, 32),
            Validation.Amount(request.AmountFen),
            channels.Value.ContainsKey(channel) ? null : $"channel must be one of {string.Join(", ", channels.Value.Keys)}");
        var localTime = TimeOnly.FromDateTime(pipeline.Calendar.Local(clock.GetUtcNow()).DateTime);
        return await SubmitAsync(request.RequestId, request.PersonNo, context, r => r with
        {
            Kind = TransactionKind.QuotaTopUp,
            AmountFen = request.AmountFen,
            Channel = channel,
            PreDecline = channels.Value[channel].Check(request.AmountFen, localTime),
        });
    }

    [Authorize(Roles = Roles.Office)]
    public override Task<FundingReply> Credit(CreditRequest request, ServerCallContext context)
    {
        Require(
            Validation.RequestId(request.RequestId),
            Validation.Identifier("person_no", request.PersonNo, 32),
            Validation.Amount(request.AmountFen),
            Validation.Defined("source", (Domain.SystemAccount)request.Source),
            Validation.Text("memo", request.Memo, 200, required: false));
        return SubmitAsync(request.RequestId, request.PersonNo, context, r => r with
        {
            Kind = TransactionKind.Credit,
            AmountFen = request.AmountFen,
            Source = (Domain.SystemAccount)request.Source,
            Memo = request.Memo,
        });
    }

    [Authorize(Roles = $"{Roles.Kiosk},{Roles.Payments}")]
    public override Task<FundingReply> Transfer(TransferRequest request, ServerCallContext context)
    {
        Require(
            Validation.RequestId(request.RequestId),
            Validation.Identifier("person_no", request.PersonNo, 32),
            Validation.Amount(request.AmountFen),
            Validation.Defined("direction", (Domain.TransferDirection)request.Direction));
        return SubmitAsync(request.RequestId, request.PersonNo, context, r => r with
        {
            Kind = TransactionKind.Transfer,
            AmountFen = request.AmountFen,
            Direction = (Domain.TransferDirection)request.Direction,
        });
    }

    private async Task<FundingReply> SubmitAsync(string requestId, string personNo, ServerCallContext context, Func<ClearingRequest, ClearingRequest> shape)
    {
        var holderId = await directory.HolderIdAsync(personNo, context.CancellationToken);
        var request = shape(new ClearingRequest { Kind = default, RequestId = requestId, HolderId = holderId });
        if (holderId == 0 && request.PreDecline == Domain.DeclineReason.None) request = request with { PreDecline = Domain.DeclineReason.UnknownPerson };
        var decision = await pipeline.DecideAsync(request, context.CancellationToken);
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
