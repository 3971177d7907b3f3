namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// A holder's hot state as Redis keeps it and as the journal keeps it after each decision that changed more than its
/// balances (transactions.holder_after): the rebuild takes a holder's newest one, so no rule is repeated outside the
/// deciders. Balances and the day's spend are derived from the journal's legs instead, which every decision keeps.
/// </summary>
public static class HolderFormat
{
    public static readonly Layout Layout = new("holder", 4,
        "id", "card", "type", "lost", "freeze", "rewrite", "closed", "purse", "wallet", "pending", "spend_day", "day_spent",
        "single_limit", "daily_limit", "pin_fails", "pin_default", "issued_day");

    public static byte[] Write(HolderHotState h) => Layout.Pack(
    [
        h.HolderId, h.Card, (long)h.CardType, Bit(h.Lost), (long)h.Freeze, Bit(h.RewriteApproved), Bit(h.Closed),
        h.Balances.PurseFen, h.Balances.WalletFen, h.Balances.PendingFen, h.SpendDay, h.DaySpentFen,
        h.SingleLimitFen, h.DailyLimitFen, h.PinFails, Bit(h.PinIsDefault), h.IssuedDay,
    ]);

    public static HolderHotState Read(string personNo, ReadOnlySpan<byte> value)
    {
        var l = Layout;
        if (!l.Holds(value)) throw new InvalidDataException($"the hot state of {personNo} is not in holder format {l.Version}");
        return new HolderHotState
        {
            HolderId = l.Get(value, "id"),
            PersonNo = personNo,
            Card = l.Get(value, "card"),
            CardType = (CardType)l.Get(value, "type"),
            Lost = l.Get(value, "lost") != 0,
            Freeze = (FreezeReason)l.Get(value, "freeze"),
            RewriteApproved = l.Get(value, "rewrite") != 0,
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
    }

    private static long Bit(bool value) => value ? 1 : 0;
}
