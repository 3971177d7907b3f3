using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The e-payment platform's operations (handbook ch. 6, 7): the payment password 电子支付密码, payments to payees and
/// their refunds. The service checks the password (a salted slow hash, never in a script, log or journal row) and the
/// payee, and the decision is the engine's like any money.
/// </summary>
public sealed class PaymentDesk(ClearingEngine engine, IDecisionJournal journal, IRegistry registry, Directory directory, CardSecrets secrets, TimeProvider clock)
{
    /// <summary>
    /// Sets the payment password: the first time with the card PIN, then with the old password. It must differ from the
    /// card PIN (art. 18); that is checked only once the caller proved the PIN or the old password.
    /// </summary>
    public async Task<Decision> SetPasswordAsync(string requestId, string personNo, string password, string oldPassword, string pin, Caller caller, CancellationToken ct)
    {
        Validation.Require(Validation.RequestId(requestId), Validation.Identifier("person_no", personNo, 32), Pins.Validate("password", password));
        var state = await engine.ReadPersonAsync(caller.Campus, personNo) ?? throw new RefusedException(ErrorReason.PersonNotFound, $"no account for {personNo}");
        var changing = state.PaymentPasswordSet;
        Validation.Require(changing ? Pins.Validate("old_password", oldPassword) : Pins.Validate("pin", pin));
        var verdict = changing
            ? await secrets.CheckAsync(state.HolderId, SecretKind.PaymentPassword, oldPassword, ct)
            : await secrets.CheckPinAsync(state.HolderId, pin, ct);
        if (verdict == PinCheck.Verified && (changing ? await secrets.CheckPinAsync(state.HolderId, password, ct) == PinCheck.Verified : password == pin))
            throw CardOffice.SecretsMustDiffer();
        var decision = await engine.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.SetPaymentPassword,
            RequestId = requestId,
            Campus = caller.Campus,
            PersonNo = personNo,
            Flag = changing,
            Pin = verdict,
            Caller = caller,
        }, ct);
        if (decision.Outcome == Outcome.Approved)
            await registry.SetSecretAsync(decision.HolderId, SecretKind.PaymentPassword, await secrets.HashAsync(password, ct), decision.TransactionId, clock.GetUtcNow(), ct);
        return decision;
    }

    /// <summary>Pays a payee (a merchant of a payee category; another is declined NOT_A_PAYEE) from the e-wallet or the purse.</summary>
    public async Task<Decision> PayAsync(string requestId, string personNo, string payeeId, long amountFen, AccountKind source, string password, Caller caller, CancellationToken ct)
    {
        Validation.Require(Validation.Identifier("person_no", personNo, 32), Validation.Identifier("payee_merchant_id", payeeId, 32), Pins.Validate("password", password));
        var payee = await directory.MerchantAsync(caller.Campus, payeeId, ct) ?? throw new RefusedException(ErrorReason.MerchantNotFound, $"no merchant {payeeId}");
        var state = await engine.ReadPersonAsync(caller.Campus, personNo);
        return await engine.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.Payment,
            RequestId = requestId,
            Campus = caller.Campus,
            PersonNo = personNo,
            AmountFen = amountFen,
            MerchantId = payee.MerchantId,
            MerchantNo = payee.No,
            Code = (short)source,
            PreDecline = MerchantCategories.IsPayee(payee.Category) ? DeclineReason.None : DeclineReason.NotAPayee,
            Pin = state is { PaymentPasswordSet: true } ? await secrets.CheckAsync(state.HolderId, SecretKind.PaymentPassword, password, ct) : PinCheck.None,
            Caller = caller,
        }, ct);
    }

    /// <summary>A payee's refund of a payment, to the account the payment came from.</summary>
    public async Task<Decision> RefundAsync(string requestId, string personNo, string paymentRequestId, string payeeId, long amountFen, Caller caller, CancellationToken ct)
    {
        Validation.Require(Validation.Identifier("person_no", personNo, 32), Validation.Identifier("payee_merchant_id", payeeId, 32), Validation.RequestId(paymentRequestId, "payment_request_id"));
        var payee = await directory.MerchantAsync(caller.Campus, payeeId, ct) ?? throw new RefusedException(ErrorReason.MerchantNotFound, $"no merchant {payeeId}");
        var found = await journal.FindAsync([(Campuses.Qualify(caller.Campus, RequestScope.OfPerson(personNo)), paymentRequestId)], ct);
        var payment = found.FirstOrDefault(e => e.Request.Kind == TransactionKind.Payment && e.Request.RequestId == paymentRequestId);
        return await engine.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.PaymentRefund,
            RequestId = requestId,
            Campus = caller.Campus,
            PersonNo = personNo,
            OriginalRequestId = paymentRequestId,
            AmountFen = amountFen,
            MerchantId = payee.MerchantId,
            MerchantNo = payee.No,
            // The account the payment came from; for no payment any source, which the decider declines UNKNOWN_PAYMENT.
            Code = payment.Request?.Code ?? (short)AccountKind.Wallet,
            Caller = caller,
        }, ct);
    }

}
