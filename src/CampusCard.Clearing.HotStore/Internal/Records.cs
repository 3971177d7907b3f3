using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// Idempotency records (<see cref="Layouts.Record"/>) to and from decisions. An outbox entry's record may be followed
/// by the holder after the decision (<see cref="HolderFormat"/>); the previous releases' records (version 3 without the
/// card state, version 4 without holds and side legs) are still read, so their outboxes drain.
/// </summary>
internal static class Records
{
    private static readonly Layout L = Layouts.Record;

    private static readonly Layout Version3 = new("record", 3,
        "kind", "fp", "outcome", "reason", "txn", "holder", "purse", "wallet", "pending", "effect", "moved", "ts", "merchant", "day", "rv");

    private static readonly Layout Version4 = new("record", 4, [.. Version3.Fields, "state"]);

    /// <param name="value">A record, or an outbox entry's record and the holder after it.</param>
    /// <param name="personNo">Whose holder state follows, when one does.</param>
    public static Decision Read(ReadOnlySpan<byte> value, string personNo = "")
    {
        var l = value.Length == 0 ? L : value[0] switch { 3 => Version3, 4 => Version4, _ => L };
        var record = value[..Math.Min(l.Length, value.Length)];
        if (!l.Holds(record)) throw new FormatException("not an idempotency record of any known format");
        var holder = value[record.Length..];
        var current = l == L;
        return new Decision
        {
            Outcome = (Outcome)l.Get(record, "outcome"),
            Reason = (DeclineReason)l.Get(record, "reason"),
            TransactionId = l.Get(record, "txn"),
            HolderId = l.Get(record, "holder"),
            Balances = new Balances(l.Get(record, "purse"), l.Get(record, "wallet"), l.Get(record, "pending"), current ? l.Get(record, "held") : 0),
            Effect = (Effect)l.Get(record, "effect"),
            MovedFen = l.Get(record, "moved"),
            SideFen = current ? l.Get(record, "side") : 0,
            DeadlineMs = current ? l.Get(record, "deadline") : 0,
            DecidedAtMs = l.Get(record, "ts"),
            MerchantNo = l.Get(record, "merchant"),
            BusinessDay = (int)l.Get(record, "day"),
            CardState = l != Version3 ? (CardState)l.Get(record, "state") : 0,
            HolderAfter = holder.IsEmpty ? null : HolderFormat.Read(personNo, holder),
        };
    }

    /// <param name="closedBy">The transaction that closed the request (reversed a debit, settled or released a hold, recalled a subsidy), or 0.</param>
    /// <param name="undoneFen">What refunds took back of it.</param>
    public static byte[] Write(ClearingRequest r, Decision d, long closedBy, long undoneFen) => L.Pack(
    [
        (long)r.Kind, r.Fingerprint, (long)d.Outcome, (long)d.Reason, d.TransactionId, d.HolderId,
        d.Balances.PurseFen, d.Balances.WalletFen, d.Balances.PendingFen, (long)d.Effect, d.MovedFen, d.DecidedAtMs,
        d.MerchantNo, d.BusinessDay, closedBy, (long)d.CardState, d.Balances.HeldFen, d.SideFen, d.DeadlineMs, undoneFen, r.Code,
    ]);

    public static byte[] Tombstone(long reversalId, long decidedAtMs) =>
        L.Pack([LuaPrelude.Tombstone, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, decidedAtMs, 0, 0, reversalId, 0, 0, 0, 0, 0, 0]);
}
