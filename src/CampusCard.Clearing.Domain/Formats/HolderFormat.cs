namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// A holder's hot state as Redis keeps it and as the journal keeps it after each decision that changed more than its
/// balances (transactions.holder_after): the rebuild takes a holder's newest one, so no rule is repeated outside the
/// deciders. Balances and the day's spend are derived from the journal's legs instead, which every decision keeps.
/// The journal's older rows are in versions 4 and 5, read with the fields later versions added at their defaults; version 6
/// keeps the freeze and rewrite fields as sets of reasons (<see cref="FreezeReasons"/>) where 4 and 5 kept one reason and a flag.
/// Version 7 is version 6 packed compact, as Redis keeps it (<see cref="Hot"/>).
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

    /// <summary>
    /// The holder as the hot store keeps it in Redis and its outbox: version 6's fields, compact (about a quarter of its
    /// bytes). The journal keeps <see cref="Layout"/>, whose fields SQL reads by position.
    /// </summary>
    public static readonly Layout Hot = new("holder", 7, Packing.Compact, Version5Fields);

    /// <summary>Every version the journal may hold, oldest first (SQL reads fields by position: the holder_fields table).</summary>
    public static IReadOnlyList<Layout> Versions { get; } = [Version4, Version5, Layout];

    /// <summary>Every version there is, newest first: each one's fields are the first of the next one's.</summary>
    private static readonly Layout[] Readable = [Hot, Layout, Version5, Version4];

    /// <summary>The journal's holder_after.</summary>
    public static byte[] Write(HolderHotState h) => Layout.Pack(Values(h));

    /// <summary>The hot store's holder.</summary>
    public static byte[] WriteHot(HolderHotState h) => Hot.Pack(Values(h));

    private static long[] Values(HolderHotState h) =>
    [
        h.HolderId, h.Card, (long)h.CardType, Bit(h.Lost), h.Freeze.Mask, h.Rewrite.Mask, Bit(h.Closed),
        h.Balances.PurseFen, h.Balances.WalletFen, h.Balances.PendingFen, h.SpendDay, h.DaySpentFen,
        h.SingleLimitFen, h.DailyLimitFen, h.PinFails, Bit(h.PinIsDefault), h.IssuedDay,
        h.Balances.HeldFen, h.LostAtMs, h.ClaimedTxn, h.AutoThresholdFen, h.AutoTopUpFen, h.AutoOpenTxn, h.AutoUntilMs,
        Bit(h.PaymentPasswordSet), h.PaymentPasswordFails,
    ];

    /// <summary>A holder in any version, the journal's or the hot store's; a field its version lacks is 0.</summary>
    public static HolderHotState Read(short campus, string personNo, ReadOnlySpan<byte> value)
    {
        Span<long> v = stackalloc long[Version5Fields.Length];
        foreach (var l in Readable)
        {
            v.Clear();
            if (!l.TryUnpack(value, v, out var length) || length != value.Length) continue;
            var h = From(personNo, v) with { Campus = campus };
            return l.Version < Layout.Version ? h.WithOneFreezeReason() : h;
        }
        throw new InvalidDataException($"the hot state of {personNo} is not in holder format {string.Join(", ", Readable.Select(l => l.Version))}");
    }

    /// <summary>Versions 4 and 5 kept one freeze reason (a code) and whether an unfreeze at a kiosk was approved (for it).</summary>
    private static HolderHotState WithOneFreezeReason(this HolderHotState h) => h with
    {
        Freeze = FreezeReasons.Of((FreezeReason)h.Freeze.Mask),
        Rewrite = h.Rewrite.IsEmpty ? FreezeReasons.None : FreezeReasons.Of((FreezeReason)h.Freeze.Mask),
    };

    private static HolderHotState From(string personNo, ReadOnlySpan<long> v) => new()
    {
        HolderId = v[Field.Id],
        PersonNo = personNo,
        Card = v[Field.Card],
        CardType = (CardType)v[Field.Type],
        Lost = v[Field.Lost] != 0,
        Freeze = new FreezeReasons(v[Field.Freeze]),
        Rewrite = new FreezeReasons(v[Field.Rewrite]),
        Closed = v[Field.Closed] != 0,
        Balances = new Balances(v[Field.Purse], v[Field.Wallet], v[Field.Pending], v[Field.Held]),
        SpendDay = (int)v[Field.SpendDay],
        DaySpentFen = v[Field.DaySpent],
        SingleLimitFen = v[Field.SingleLimit],
        DailyLimitFen = v[Field.DailyLimit],
        PinFails = (int)v[Field.PinFails],
        PinIsDefault = v[Field.PinDefault] != 0,
        IssuedDay = (int)v[Field.IssuedDay],
        LostAtMs = v[Field.LostAt],
        ClaimedTxn = v[Field.ClaimedTxn],
        AutoThresholdFen = v[Field.AutoThreshold],
        AutoTopUpFen = v[Field.AutoAmount],
        AutoOpenTxn = v[Field.AutoOpen],
        AutoUntilMs = v[Field.AutoUntil],
        PaymentPasswordSet = v[Field.PaySet] != 0,
        PaymentPasswordFails = (int)v[Field.PayFails],
    };

    /// <summary>Each field's place in every version (the versions add fields at the end).</summary>
    private static class Field
    {
        public static readonly int Id = Hot.Index("id"), Card = Hot.Index("card"), Type = Hot.Index("type"), Lost = Hot.Index("lost"),
            Freeze = Hot.Index("freeze"), Rewrite = Hot.Index("rewrite"), Closed = Hot.Index("closed"), Purse = Hot.Index("purse"),
            Wallet = Hot.Index("wallet"), Pending = Hot.Index("pending"), SpendDay = Hot.Index("spend_day"), DaySpent = Hot.Index("day_spent"),
            SingleLimit = Hot.Index("single_limit"), DailyLimit = Hot.Index("daily_limit"), PinFails = Hot.Index("pin_fails"),
            PinDefault = Hot.Index("pin_default"), IssuedDay = Hot.Index("issued_day"), Held = Hot.Index("held"), LostAt = Hot.Index("lost_at"),
            ClaimedTxn = Hot.Index("claimed_txn"), AutoThreshold = Hot.Index("auto_threshold"), AutoAmount = Hot.Index("auto_amount"),
            AutoOpen = Hot.Index("auto_open"), AutoUntil = Hot.Index("auto_until"), PaySet = Hot.Index("pay_set"), PayFails = Hot.Index("pay_fails");
    }

    private static long Bit(bool value) => value ? 1 : 0;
}
