using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Engine;

/// <summary>
/// The card office's and the cardholder's operations on accounts, cards and PINs (handbook ch. 4, art. 11-22, Q&amp;A 1-3):
/// each is the registry's part (the person, the card number issued, the secrets' hashes) and a decision through the
/// engine like any money, journaled before the answer. The gRPC adapters translate to and from these.
/// </summary>
public sealed class CardOffice(
    ClearingEngine engine, IRegistry registry, IHotStore hot, Directory directory, CardSecrets secrets, TimeProvider clock)
{
    /// <summary>
    /// Opens a person's one account and first card (the card office's number, or one made from the person number). A
    /// retry answers the account; another OpenAccount for the person is ALREADY_EXISTS, and for a closed account
    /// FAILED_PRECONDITION: an account is never reopened (art. 14).
    /// </summary>
    public async Task<(Holder Holder, Decision Decision)> OpenAccountAsync(
        string personNo, string name, CardType cardType, string idNumber, string cardNo, Caller caller, CancellationToken ct)
    {
        Validation.Require(
            Validation.Identifier("person_no", personNo, 32),
            Validation.Text("name", name, 100, required: true),
            Validation.Defined("card_type", cardType),
            Pins.ValidateIdNumber("id_number", idNumber),
            cardNo.Length > 0 ? CardNumbers.Validate("card_no", cardNo) : null);
        // Refused before the registry takes the person: a refusal changes nothing.
        if (cardNo.Length > 0 && await registry.FindCardAsync(caller.Campus, cardNo, ct) is { } issued && issued.PersonNo != personNo)
            throw CardNumberTaken(cardNo);
        if (cardNo.Length > 0 && await HeldInGroupAsync(caller.Campus, cardNo, ct)) throw CardNumberTaken(cardNo);
        var (idHash, defaultPin) = await secrets.ForNewAccountAsync(idNumber, engine.RulesOf(caller.Campus).Cards.DefaultPin, ct);
        var now = clock.GetUtcNow();
        var holder = await registry.OpenHolderAsync(caller.Campus, personNo, name.Trim(), cardType, idHash, now, ct)
            ?? await registry.FindHolderAsync(caller.Campus, personNo, ct)
            ?? throw new InvalidOperationException($"person {personNo} is neither new nor in the registry");
        var request = new ClearingRequest
        {
            Kind = TransactionKind.OpenCard,
            RequestId = OpenCardKind.RequestId,
            Campus = caller.Campus,
            PersonNo = personNo,
            CardNo = cardNo.Length > 0 ? cardNo : CardNumbers.Generate("open:" + personNo),
            Code = (short)cardType,
            Memo = name.Trim(),
            HolderId = holder.Id,
            Caller = caller,
        };
        if (await engine.ReadPersonAsync(caller.Campus, personNo) is { } opened)
        {
            if (opened.Closed) throw new RefusedException(ErrorReason.AccountClosed, $"the account of {personNo} was closed; a closed account is never reopened (art. 14)");
            if (opened.Card != CardNumbers.Fingerprint(request.CardNo)) throw AlreadyOpen(personNo);
        }
        else
        {
            await registry.SetSecretAsync(holder.Id, SecretKind.DefaultPin, defaultPin, 0, now, ct);
            await registry.SetSecretAsync(holder.Id, SecretKind.Pin, defaultPin, 0, now, ct);
            request = request with { CardNo = (await IssueAsync(holder, cardNo, "open:" + personNo, ct)).CardNo };
        }
        var answer = await engine.SubmitAsync(request, ct);
        if (answer.Decision is not { } decision || decision.Reason == DeclineReason.AlreadyOpen) throw AlreadyOpen(personNo);
        await IndexAsync(request.CardNo, decision, holder);
        directory.Remember(holder);
        return (holder, decision);
    }

    /// <summary>补办: a new card for the person, the office's number or one made from the request.</summary>
    public async Task<(string CardNo, Decision Decision)> ReplaceCardAsync(
        string requestId, string personNo, ReplaceReason reason, bool visibleDamage, string cardNo, Caller caller, CancellationToken ct)
    {
        Validation.Require(
            Validation.RequestId(requestId),
            Validation.Identifier("person_no", personNo, 32),
            Validation.Defined("reason", reason),
            cardNo.Length > 0 ? CardNumbers.Validate("card_no", cardNo) : null);
        var holder = await registry.FindHolderAsync(caller.Campus, personNo, ct) ?? throw new RefusedException(ErrorReason.PersonNotFound, $"no account for {personNo}");
        var card = await IssueAsync(holder, cardNo, $"replace:{personNo}|{requestId}", ct);
        var decision = await engine.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.ReplaceCard,
            RequestId = requestId,
            Campus = caller.Campus,
            PersonNo = personNo,
            CardNo = card.CardNo,
            Code = (short)reason,
            Flag = visibleDamage,
            CardType = holder.CardType,
            Caller = caller,
        }, ct);
        await IndexAsync(card.CardNo, decision, holder);
        return (card.CardNo, decision);
    }

    /// <summary>A change of card state by card or person number (loss, freeze, unfreeze, rewrite, close, reset PIN).</summary>
    public Task<Decision> ChangeStateAsync(ClearingRequest request, CancellationToken ct) => engine.DecideAsync(request, ct);

    /// <summary>
    /// 解挂 at a kiosk: the person number, the ID number and the card PIN (no longer the default one, handbook 4.2). Each
    /// cause is its decline: DEFAULT_PIN, WRONG_ID_NUMBER (counted with the wrong PINs), WRONG_PIN, PIN_LOCKED.
    /// </summary>
    public async Task<Decision> CancelLossAtKioskAsync(string requestId, string personNo, string pin, string idNumber, Caller caller, CancellationToken ct)
    {
        Validation.Require(Validation.RequestId(requestId), Validation.Identifier("person_no", personNo, 32), Pins.Validate("pin", pin), Pins.ValidateIdNumber("id_number", idNumber));
        var holderId = (await engine.ReadPersonAsync(caller.Campus, personNo))?.HolderId ?? 0;
        return await engine.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.CancelLoss,
            RequestId = requestId,
            Campus = caller.Campus,
            PersonNo = personNo,
            Flag = true,
            IdNumber = holderId == 0 ? PinCheck.None : await secrets.CheckIdNumberAsync(holderId, idNumber, ct) ? PinCheck.Verified : PinCheck.Wrong,
            Pin = holderId == 0 ? PinCheck.None : await secrets.CheckPinAsync(holderId, pin, ct),
            Caller = caller,
        }, ct);
    }

    /// <summary>
    /// 修改密码 at a kiosk with the card and the old PIN; the new PIN's hash is stored once the change is decided. The new PIN
    /// must differ from the payment password (art. 18), checked once the old PIN is proved, as Payments.SetPassword does.
    /// </summary>
    public async Task<Decision> ChangePinAsync(string requestId, string cardNo, string oldPin, string newPin, Caller caller, CancellationToken ct)
    {
        Validation.Require(Validation.RequestId(requestId), Validation.Identifier("card_no", cardNo, 32), Pins.Validate("old_pin", oldPin), Pins.Validate("new_pin", newPin));
        var holder = await engine.ReadCardAsync(caller.Campus, cardNo);
        var holderId = holder?.HolderId ?? 0;
        var verdict = holderId == 0 ? PinCheck.None : await secrets.CheckPinAsync(holderId, oldPin, ct);
        if (verdict == PinCheck.Verified && holder!.PaymentPasswordSet && await secrets.CheckAsync(holderId, SecretKind.PaymentPassword, newPin, ct) == PinCheck.Verified)
            throw SecretsMustDiffer();
        var decision = await engine.DecideAsync(new ClearingRequest
        {
            Kind = TransactionKind.ChangePin,
            RequestId = requestId,
            Campus = caller.Campus,
            CardNo = cardNo,
            Pin = verdict,
            Flag = holderId != 0 && await secrets.IsDefaultPinAsync(holderId, newPin, ct),
            Caller = caller,
        }, ct);
        if (decision.Outcome == Outcome.Approved)
            await registry.SetSecretAsync(decision.HolderId, SecretKind.Pin, await secrets.HashAsync(newPin, ct), decision.TransactionId, clock.GetUtcNow(), ct);
        return decision;
    }

    /// <summary>密码重置 at the office: the default PIN again, unlocked.</summary>
    public async Task<Decision> ResetPinAsync(string requestId, string personNo, Caller caller, CancellationToken ct)
    {
        var decision = await engine.DecideAsync(new ClearingRequest { Kind = TransactionKind.ResetPin, RequestId = requestId, Campus = caller.Campus, PersonNo = personNo, Caller = caller }, ct);
        if (decision.Outcome == Outcome.Approved && await registry.SecretAsync(decision.HolderId, SecretKind.DefaultPin, ct) is { } defaultPin)
            await registry.SetSecretAsync(decision.HolderId, SecretKind.Pin, defaultPin.Hash, decision.TransactionId, clock.GetUtcNow(), ct);
        return decision;
    }

    /// <summary>
    /// 支付密码重置 at the office: the payment password and its lock cleared (what the platform answers PAYMENT_PASSWORD_LOCKED
    /// to is then open again); the cardholder sets a new one with the card PIN, as the first time (handbook 6.1). The old
    /// hash stays in the registry, unused, until the new one replaces it.
    /// </summary>
    public Task<Decision> ResetPaymentPasswordAsync(string requestId, string personNo, Caller caller, CancellationToken ct) =>
        engine.DecideAsync(new ClearingRequest { Kind = TransactionKind.ResetPaymentPassword, RequestId = requestId, Campus = caller.Campus, PersonNo = personNo, Caller = caller }, ct);

    /// <summary>The card PIN and the payment password must differ (art. 18).</summary>
    public static RefusedException SecretsMustDiffer() =>
        new(ErrorReason.SecretsMustDiffer, "the card PIN and the payment password must differ (art. 18); nothing was changed");

    /// <summary>修改限额 at a kiosk with the card and its PIN.</summary>
    public Task<Decision> SetLimitsAsync(string requestId, string cardNo, string pin, long singleLimitFen, long dailyLimitFen, Caller caller, CancellationToken ct) =>
        WithPinAsync(TransactionKind.SetLimits, requestId, cardNo, pin, singleLimitFen, dailyLimitFen, caller, ct);

    /// <summary>领取补助 / 确认转账 at a kiosk with the card: every pending amount into the purse.</summary>
    public Task<Decision> ClaimPendingAsync(string requestId, string cardNo, Caller caller, CancellationToken ct) =>
        engine.DecideAsync(new ClearingRequest { Kind = TransactionKind.Claim, RequestId = requestId, Campus = caller.Campus, CardNo = cardNo, Caller = caller }, ct);

    /// <summary>自动转账 at a kiosk with the card and its PIN: the threshold and the amount; both 0 turn it off.</summary>
    public Task<Decision> SetAutoTopUpAsync(string requestId, string cardNo, string pin, long thresholdFen, long amountFen, Caller caller, CancellationToken ct) =>
        WithPinAsync(TransactionKind.SetAutoTopUp, requestId, cardNo, pin, amountFen, thresholdFen, caller, ct);

    /// <summary>A kiosk's change of a card's settings with its PIN: two amounts (<see cref="ClearingRequest.AmountFen"/>, <see cref="ClearingRequest.LimitFen"/>).</summary>
    private async Task<Decision> WithPinAsync(TransactionKind kind, string requestId, string cardNo, string pin, long amountFen, long limitFen, Caller caller, CancellationToken ct)
    {
        Validation.Require(Validation.Identifier("card_no", cardNo, 32), Pins.Validate("pin", pin));
        return await engine.DecideAsync(new ClearingRequest
        {
            Kind = kind,
            RequestId = requestId,
            Campus = caller.Campus,
            CardNo = cardNo,
            AmountFen = amountFen,
            LimitFen = limitFen,
            Pin = await PinForCardAsync(caller.Campus, cardNo, pin, ct),
            Caller = caller,
        }, ct);
    }

    /// <summary>
    /// What the card PIN a request carries says, for the card it names in the campus (None when nobody holds the card);
    /// with <paramref name="acrossGroup"/>, a card of the campus's card group too (a terminal's sale, <see cref="ClearingEngine.ReadCardAsync"/>).
    /// </summary>
    public async Task<PinCheck> PinForCardAsync(short campus, string cardNo, string pin, CancellationToken ct, bool acrossGroup = false)
    {
        Validation.Require(Pins.Validate("pin", pin));
        var holderId = (await engine.ReadCardAsync(campus, cardNo, acrossGroup))?.HolderId ?? 0;
        return holderId == 0 ? PinCheck.None : await secrets.CheckPinAsync(holderId, pin, ct);
    }

    /// <summary>
    /// Indexes a card once it is live, so requests naming it find its holder. After the decision, not before: a rebuild
    /// meanwhile would erase an entry written earlier, and rebuilds from the registry's cards. The number of a declined
    /// one is given back: a request naming it is an unknown card, whether the index or the registry is asked.
    /// </summary>
    private async Task IndexAsync(string cardNo, Decision decision, Holder holder)
    {
        if (decision.Outcome != Outcome.Approved)
        {
            await registry.ReleaseCardAsync(holder.Campus, cardNo, holder.Id, CancellationToken.None);
            return;
        }
        var card = new IssuedCard(cardNo, decision.HolderId, holder.PersonNo, decision.DecidedAt, holder.Campus);
        await hot.AddCardAsync(card);
        engine.Remember(card);
    }

    /// <summary>Takes a card number for the holder: the one given, or one made from the seed (the next when it is taken).</summary>
    private async Task<IssuedCard> IssueAsync(Holder holder, string given, string seed, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var cardNo = given.Length > 0 ? given : CardNumbers.Generate(seed, attempt);
            if (await HeldInGroupAsync(holder.Campus, cardNo, ct))
            {
                if (given.Length > 0) throw CardNumberTaken(given);
                continue;
            }
            var issued = await registry.IssueCardAsync(holder.Campus, cardNo, holder.Id, clock.GetUtcNow(), ct);
            if (issued.HolderId == holder.Id) return issued;
            if (given.Length > 0) throw CardNumberTaken(given);
        }
    }


    /// <summary>
    /// Whether another campus of the campus's card group holds the number: its terminals would not know whose card it is
    /// (a number held at two campuses of a group is refused there, <see cref="DeclineReason.CardAmbiguous"/>).
    /// </summary>
    private async Task<bool> HeldInGroupAsync(short campus, string cardNo, CancellationToken ct)
    {
        foreach (var other in engine.Campuses.GroupOf(campus, clock.GetUtcNow()))
            if (await registry.FindCardAsync(other, cardNo, ct) is not null) return true;
        return false;
    }

    private static RefusedException CardNumberTaken(string cardNo) => new(ErrorReason.CardNumberTaken, $"card number {cardNo} was issued to someone else");

    private static RefusedException AlreadyOpen(string personNo) => new(ErrorReason.AccountExists, $"person {personNo} already has an account");
}
