using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>A holder's hot state (<see cref="Layouts.Holder"/>) to and from its Redis value.</summary>
internal static class HolderValue
{
    private static readonly Layout L = Layouts.Holder;

    public static byte[] Write(HolderHotState h) => L.Pack(
    [
        h.HolderId, h.CardSeq, (long)h.CardState, h.Balances.PurseFen, h.Balances.WalletFen, h.Balances.PendingFen, h.SpendDay, h.DaySpentFen,
    ]);

    public static HolderHotState Read(string personNo, ReadOnlySpan<byte> value)
    {
        if (!L.Holds(value)) throw new InvalidDataException($"the hot state of {personNo} is not in format {L.Version}");
        return new HolderHotState(L.Get(value, "id"), personNo, (int)L.Get(value, "card"), (CardState)L.Get(value, "state"),
            new Balances(L.Get(value, "purse"), L.Get(value, "wallet"), L.Get(value, "pending")),
            (int)L.Get(value, "spend_day"), L.Get(value, "day_spent"));
    }
}

/// <summary>A card index entry: "seq|person no" (an identifier never holds '|').</summary>
internal static class CardValue
{
    public static string Write(CardRef card) => $"{card.Seq}|{card.PersonNo}";

    public static CardRef Read(string value)
    {
        var bar = value.IndexOf('|');
        return new CardRef(value[(bar + 1)..], int.Parse(value.AsSpan(0, bar), System.Globalization.CultureInfo.InvariantCulture));
    }
}
