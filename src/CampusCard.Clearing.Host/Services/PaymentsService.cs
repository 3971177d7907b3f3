using CampusCard.Clearing.Contracts.V1;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CampusCard.Clearing.Host.Services.ClearingCalls;

namespace CampusCard.Clearing.Host.Services;

/// <summary>campuscard.clearing.v1.Payments: the e-payment platform 电子支付平台, and kiosks' self-service payments (handbook 7.1).</summary>
internal sealed class PaymentsService(PaymentDesk desk) : Payments.PaymentsBase
{
    [Authorize(Roles = Roles.Payments)]
    public override async Task<PaymentReply> SetPassword(SetPaymentPasswordRequest request, ServerCallContext context) =>
        ToReply(await desk.SetPasswordAsync(request.RequestId, request.PersonNo, request.Password, request.OldPassword, request.Pin, context.Caller(),
            context.CancellationToken));

    [Authorize(Roles = $"{Roles.Payments},{Roles.Kiosk}")]
    public override async Task<PaymentReply> Pay(PayRequest request, ServerCallContext context) =>
        ToReply(await desk.PayAsync(request.RequestId, request.PersonNo, request.PayeeMerchantId, request.AmountFen, Source(request.Source), request.Password,
            context.Caller(), context.CancellationToken));

    [Authorize(Roles = Roles.Payments)]
    public override async Task<PaymentReply> Refund(RefundRequest request, ServerCallContext context) =>
        ToReply(await desk.RefundAsync(request.RequestId, request.PersonNo, request.PaymentRequestId, request.PayeeMerchantId, request.AmountFen,
            context.Caller(), context.CancellationToken));

    private static AccountKind Source(PaymentSource source) => source switch
    {
        PaymentSource.Purse => AccountKind.Purse,
        PaymentSource.Wallet => AccountKind.Wallet,
        _ => throw RefusedException.Invalid(Validation.Fail("source", "must be PURSE or WALLET")),
    };

    private static PaymentReply ToReply(Decision d) => new()
    {
        Outcome = d.Outcome(),
        DeclineReason = d.Reason(),
        TransactionId = d.TransactionId,
        AmountFen = d.MovedFen,
        Balances = d.Balances.ToMessage(),
        DecidedAt = d.DecidedAt(),
    };
}
