namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// A holder's hot state as Redis keeps it and as the journal keeps it after each decision that changed more than its
/// balances (transactions.holder_after): the rebuild takes a holder's newest one, so no rule is repeated outside the
/// deciders. Balances and the day's spend are derived from the journal's legs instead, which every decision keeps.
/// The journal's older rows are in versions 4 and 5, read with the fields later versions added at their defaults; version 6
/// keeps the freeze and rewrite fields as sets of reasons (<see cref="FreezeReasons"/>) where 4 and 5 kept one reason and a flag.
/// </summary>
public static class HolderFormat
{
    private static readonly string[] Version4Fields =
    [
        "id", "card", "type", "lost", "freeze", "rewrite", "closed", "purse", "wallet", "pending", "spend_day", "day_spent",
        "single_limit", "daily_limit", "pin_fails", "pin_default", "issued_day",
    ];

    private static readonly Layout Version4 = new("holder", 4, Version4Fields);

    private static readonly string[] Version5Fields =
    [
        .. Version4Fields,
        "held", "lost_at", "claimed_txn", "auto_threshold", "auto_amount", "auto_open", "auto_until", "pay_set", "pay_fails",
    ];

    private static readonly Layout Version5 = new("holder", 5, Version5Fields);

    public static readonly Layout Layout = new("holder", 6, Version5Fields);

    /// <summary>Every version the journal may hold, oldest first (SQL reads fields by position: the holder_fields table).</summary>
    public static IReadOnlyList<Layout> Versions { get; } = [Version4, Version5, Layout];

    public static byte[] Write(HolderHotState h) => Layout.Pack(
    [
        h.HolderId, h.Card, (long)h.CardType, Bit(h.Lost), h.Freeze.Mask, h.Rewrite.Mask, Bit(h.Closed),
        h.Balances.PurseFen, h.Balances.WalletFen, h.Balances.PendingFen, h.SpendDay, h.DaySpentFen,
        h.SingleLimitFen, h.DailyLimitFen, h.PinFails, Bit(h.PinIsDefault), h.IssuedDay,
        h.Balances.HeldFen, h.LostAtMs, h.ClaimedTxn, h.AutoThresholdFen, h.AutoTopUpFen, h.AutoOpenTxn, h.AutoUntilMs,
        Bit(h.PaymentPasswordSet), h.PaymentPasswordFails,
    ]);

    public static HolderHotState Read(string personNo, ReadOnlySpan<byte> value)
    {
        if (Version4.Holds(value)) return ReadVersion4(personNo, value, Version4).WithOneFreezeReason();
        var l = Version5.Holds(value) ? Version5 : Layout;
        if (!l.Holds(value)) throw new InvalidDataException($"the hot state of {personNo} is not in holder format {Layout.Version}, {Version5.Version} or {Version4.Version}");
        var h = ReadVersion4(personNo, value, l) with
        {
            Balances = new Balances(l.Get(value, "purse"), l.Get(value, "wallet"), l.Get(value, "pending"), l.Get(value, "held")),
            LostAtMs = l.Get(value, "lost_at"),
            ClaimedTxn = l.Get(value, "claimed_txn"),
            AutoThresholdFen = l.Get(value, "auto_threshold"),
            AutoTopUpFen = l.Get(value, "auto_amount"),
            AutoOpenTxn = l.Get(value, "auto_open"),
            AutoUntilMs = l.Get(value, "auto_until"),
            PaymentPasswordSet = l.Get(value, "pay_set") != 0,
            PaymentPasswordFails = (int)l.Get(value, "pay_fails"),
        };
        return l == Version5 ? h.WithOneFreezeReason() : h;
    }

    /// <summary>Versions 4 and 5 kept one freeze reason (a code) and whether an unfreeze at a kiosk was approved (for it).</summary>
    private static HolderHotState WithOneFreezeReason(this HolderHotState h) => h with
    {
        Freeze = FreezeReasons.Of((FreezeReason)h.Freeze.Mask),
        Rewrite = h.Rewrite.IsEmpty ? FreezeReasons.None : FreezeReasons.Of((FreezeReason)h.Freeze.Mask),
    };

    private static HolderHotState ReadVersion4(string personNo, ReadOnlySpan<byte> value, Layout l) => new()
    {
        HolderId = l.Get(value, "id"),
        PersonNo = personNo,
        Card = l.Get(value, "card"),
        CardType = (CardType)l.Get(value, "type"),
        Lost = l.Get(value, "lost") != 0,
        Freeze = new FreezeReasons(l.Get(value, "freeze")),
        Rewrite = new FreezeReasons(l.Get(value, "rewrite")),
        Closed = l.Get(value, "closed") != 0,
        Balances = new Balances(l.Get(value, "purse"), l.Get(value, "wallet"), l.Get(value, "pending")),
        SpendDay = (int)l.Get(value, "spend_day"),
        DaySpentFen = l.Get(value, "day_spent"),
        SingleLimitFen = l.Get(value, "single_limit"),
        DailyLimitFen = l.Get(value, "daily_limit"),
        PinFails = (int)l.Get(value, "pin_fails"),
        PinIsDefault = l.Get(value, "pin_default") != 0,
        IssuedDay = (int)l.Get(value, "issued_day"),
    };

    private static long Bit(bool value) => value ? 1 : 0;
}
