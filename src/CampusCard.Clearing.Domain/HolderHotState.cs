namespace CampusCard.Clearing.Domain;

/// <summary>
/// What the hot store holds for one holder, as the deciders change it. <see cref="Card"/> is the fingerprint of the
/// live card's number (<see cref="CardNumbers.Fingerprint"/>): any other card of the holder is dead (replaced).
/// Limits of 0 mean no limit. <see cref="IssuedDay"/> is the business day the live card was issued (art. 12).
/// </summary>
public sealed record HolderHotState
{
    public required long HolderId { get; init; }
    public required string PersonNo { get; init; }

    /// <summary>The campus of the person number (not stored in the hot format: the holder's key and journal row carry it).</summary>
    public short Campus { get; init; } = Campuses.Default;

    /// <summary>The holder as a target of requests (its partition and key).</summary>
    public Ports.HotTarget Target => Ports.HotTarget.Person(Campus, PersonNo, known: true);
    public long Card { get; init; }
    public CardType CardType { get; init; }
    public bool Lost { get; init; }
    public FreezeReasons Freeze { get; init; }
    /// <summary>The reasons of an unfreeze the card office approved for the cardholder to finish at a kiosk (档案重写).</summary>
    public FreezeReasons Rewrite { get; init; }
    public bool RewriteApproved => !Rewrite.IsEmpty;
    public bool Closed { get; init; }
    public Balances Balances { get; init; }
    public int SpendDay { get; init; }
    public long DaySpentFen { get; init; }
    public long SingleLimitFen { get; init; }
    public long DailyLimitFen { get; init; }
    /// <summary>Wrong PINs in a row.</summary>
    public int PinFails { get; init; }
    /// <summary>The PIN is still the default one (the ID number's last six characters).</summary>
    public bool PinIsDefault { get; init; }
    public int IssuedDay { get; init; }
    /// <summary>When the card was reported lost (unix milliseconds), while it is: offline records after it are flagged (art. 22).</summary>
    public long LostAtMs { get; init; }
    /// <summary>The last claim of the pending balance: a subsidy issued after it is still unclaimed.</summary>
    public long ClaimedTxn { get; init; }
    /// <summary>自动转账: below this purse balance the engine asks the bank for <see cref="AutoTopUpFen"/>; 0 is off.</summary>
    public long AutoThresholdFen { get; init; }
    public long AutoTopUpFen { get; init; }
    /// <summary>The open auto top-up request (the transaction that opened it), 0 when none is, and until when it is open.</summary>
    public long AutoOpenTxn { get; init; }
    public long AutoUntilMs { get; init; }
    /// <summary>The payment password 电子支付密码 was set (handbook 6.1); wrong ones in a row.</summary>
    public bool PaymentPasswordSet { get; init; }
    public int PaymentPasswordFails { get; init; }

    public CardState CardState => CardStates.Of(Closed, Lost, Freeze);
}

public static class CardStates
{
    /// <summary>Closed wins over lost, lost over frozen.</summary>
    public static CardState Of(bool closed, bool lost, FreezeReasons freeze) =>
        closed ? CardState.Closed : lost ? CardState.Lost : !freeze.IsEmpty ? CardState.Frozen : CardState.Active;

    /// <summary>A card a terminal must refuse (the card-status feed's 黑名单).</summary>
    public static bool Refused(CardState state) => state != CardState.Active;
}
