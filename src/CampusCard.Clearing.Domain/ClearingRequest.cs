namespace CampusCard.Clearing.Domain;

/// <summary>
/// One request to the engine, in the one flat shape the whole pipeline carries (a fixed data model, so
/// batching, the Lua deciders, the outbox and the journal all speak it). Fields a kind does not use stay at
/// their defaults; the kind's descriptor (<see cref="Kinds"/>) says which it uses.
/// </summary>
public sealed record ClearingRequest
{
    public required TransactionKind Kind { get; init; }
    public required string RequestId { get; init; }

    /// <summary>The campus whose cardholder, card or merchant the request names (<see cref="Campuses"/>): its numbers are looked up there.</summary>
    public required short Campus { get; init; }

    /// <summary>
    /// The campus of the card's holder when it is another campus of <see cref="Campus"/>'s card group (a shared card,
    /// 校区通用: <see cref="CampusSettings.CardGroup"/>); 0 when the holder is <see cref="Campus"/>'s. Set by the engine as
    /// it finds the card, never by a caller, and not content: a retry is the same request wherever the card was found.
    /// </summary>
    public short HolderCampus { get; init; }

    /// <summary>
    /// The card the request names: the card presented (terminals, kiosks), or for the kinds that issue one
    /// (<see cref="TransactionKind.OpenCard"/>, <see cref="TransactionKind.ReplaceCard"/>) the card issued.
    /// </summary>
    public string CardNo { get; init; } = "";

    /// <summary>The student or staff number the request names, for the kinds addressed by person.</summary>
    public string PersonNo { get; init; } = "";

    public long AmountFen { get; init; }
    public string TerminalId { get; init; } = "";
    public string MerchantId { get; init; } = "";
    public long MerchantNo { get; init; }
    public string OriginalRequestId { get; init; } = "";
    public SystemAccount Source { get; init; }
    public TransferDirection Direction { get; init; }
    public string Channel { get; init; } = "";
    public string Memo { get; init; } = "";

    /// <summary>A kind's reason code: the <see cref="FreezeReason"/>, <see cref="ReplaceReason"/> or <see cref="CardType"/> it names.</summary>
    public short Code { get; init; }

    /// <summary>A kind's yes-or-no: visible damage (replacement), finish at a kiosk (unfreeze).</summary>
    public bool Flag { get; init; }

    /// <summary>A kind's second amount: the daily limit (<see cref="TransactionKind.SetLimits"/>, whose single limit is <see cref="AmountFen"/>).</summary>
    public long LimitFen { get; init; }

    /// <summary>
    /// A kind's reference number: the auto top-up request a <see cref="TransactionKind.QuotaTopUp"/> answers, a hold's
    /// lifetime in seconds, an offline record's terminal sequence number.
    /// </summary>
    public long Ref { get; init; }

    /// <summary>When an offline record happened at its terminal (unix milliseconds); 0 for everything decided as it comes.</summary>
    public long OccurredAtMs { get; init; }

    /// <summary>What the service found checking the PIN the caller sent. Not content: a secret's verdict, never the secret.</summary>
    public PinCheck Pin { get; init; }

    /// <summary>What the service found checking the ID number the caller sent (解挂 at a kiosk). Not content, as <see cref="Pin"/>.</summary>
    public PinCheck IdNumber { get; init; }

    /// <summary>
    /// What the campus's configuration sets for this request (a fee, default limits, a minimum balance), filled by the
    /// kind's descriptor at admission. Not content and not journaled: the decision's effects are.
    /// </summary>
    public Terms Terms { get; init; }

    /// <summary>The holder's card type, where a kind's terms depend on it (a replacement's fee); from the registry, not content.</summary>
    public CardType CardType { get; init; }

    /// <summary>The id the registry gave the account a <see cref="TransactionKind.OpenCard"/> opens; not content.</summary>
    public long HolderId { get; init; }

    /// <summary>Who asked: recorded in the journal, never part of what the request is.</summary>
    public Caller Caller { get; init; } = Caller.System;

    /// <summary>A decline decided before the hot store (channel rules); still recorded and idempotent.</summary>
    public DeclineReason PreDecline { get; init; }

    public KindDescriptor Descriptor => Kinds.Of(Kind);

    /// <summary>
    /// The request id's scope: the card or the person the request names, as text ("c:" or "p:" and the number), within
    /// its campus (<see cref="Campuses.Qualify"/>). It is known before any lookup, so it stays the same whether or not
    /// the card or person exists yet, and two callers naming different unknown cards never share one.
    /// </summary>
    public string Scope => Campuses.Qualify(Campus, Descriptor.Addressing == Addressing.Merchant ? RequestScope.OfMerchant(MerchantId)
        : ByCard ? RequestScope.OfCard(CardNo) : RequestScope.OfPerson(PersonNo));

    /// <summary>Whether the request names its cardholder by a card (else by person number).</summary>
    public bool ByCard => Descriptor.Addressing switch
    {
        Addressing.Card => true,
        Addressing.CardOrPerson => PersonNo.Length == 0,
        _ => false,
    };

    /// <summary>A digest of the content: a retry must match it, or the request id is being reused for something else.</summary>
    public long Fingerprint => Descriptor.Fingerprint(this);
}

/// <summary>How a kind names the cardholder it acts for.</summary>
public enum Addressing : byte
{
    /// <summary>By the card presented (terminals, kiosks): scope "c:" and the card number.</summary>
    Card = 1,
    /// <summary>By student or staff number (bank, e-payment platform, card office): scope "p:" and the number.</summary>
    Person = 2,
    /// <summary>By either (report loss: by the card's number or the person's); a person number given wins.</summary>
    CardOrPerson = 3,
    /// <summary>No cardholder: a merchant's own (settlement), scope "m:" and the merchant id.</summary>
    Merchant = 4,
}

/// <summary>Two numbers a kind's descriptor takes from configuration for its decider (see each kind).</summary>
public readonly record struct Terms(long A, long B);

public static class RequestScope
{
    public static string OfCard(string cardNo) => "c:" + cardNo;

    public static string OfPerson(string personNo) => "p:" + personNo;

    public static string OfMerchant(string merchantId) => "m:" + merchantId;
}
