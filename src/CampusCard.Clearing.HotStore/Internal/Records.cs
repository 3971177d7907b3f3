using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// Idempotency records (<see cref="Layouts.Record"/>) to and from decisions. An outbox entry's record may be followed
/// by the holder after the decision (<see cref="HolderFormat"/>); the previous release's records (version 3, without
/// the card state) are still read, so its outbox drains.
/// </summary>
internal static class Records
{
    private static readonly Layout L = Layouts.Record;

    private static readonly Layout Version3 = new("record", 3,
        "kind", "fp", "outcome", "reason", "txn", "holder", "purse", "wallet", "pending", "effect", "moved", "ts", "merchant", "day", "rv");

    /// <param name="value">A record, or an outbox entry's record and the holder after it.</param>
    /// <param name="personNo">Whose holder state follows, when one does.</param>
    public static Decision Read(ReadOnlySpan<byte> value, string personNo = "")
    {
        var l = value.Length > 0 && value[0] == Version3.Version ? Version3 : L;
        var record = value[..Math.Min(l.Length, value.Length)];
        if (!l.Holds(record)) throw new FormatException("not an idempotency record of any known format");
        var holder = value[record.Length..];
        return new Decision
        {
            Outcome = (Outcome)l.Get(record, "outcome"),
            Reason = (DeclineReason)l.Get(record, "reason"),
            TransactionId = l.Get(record, "txn"),
            HolderId = l.Get(record, "holder"),
            Balances = new Balances(l.Get(record, "purse"), l.Get(record, "wallet"), l.Get(record, "pending")),
            Effect = (ReversalEffect)l.Get(record, "effect"),
            MovedFen = l.Get(record, "moved"),
            DecidedAtMs = l.Get(record, "ts"),
            MerchantNo = l.Get(record, "merchant"),
            BusinessDay = (int)l.Get(record, "day"),
            CardState = l == L ? (CardState)l.Get(record, "state") : 0,
            HolderAfter = holder.IsEmpty ? null : HolderFormat.Read(personNo, holder),
        };
    }

    public static byte[] Write(ClearingRequest r, Decision d, long reversedBy) => L.Pack(
    [
        (long)r.Kind, r.Fingerprint, (long)d.Outcome, (long)d.Reason, d.TransactionId, d.HolderId,
        d.Balances.PurseFen, d.Balances.WalletFen, d.Balances.PendingFen, (long)d.Effect, d.MovedFen, d.DecidedAtMs,
        d.MerchantNo, d.BusinessDay, reversedBy, (long)d.CardState,
    ]);

    public static byte[] Tombstone(long reversalId, long decidedAtMs) =>
        L.Pack([LuaPrelude.Tombstone, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, decidedAtMs, 0, 0, reversalId, 0]);
}
