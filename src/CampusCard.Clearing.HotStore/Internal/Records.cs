using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;
using CampusCard.Clearing.Domain.Formats;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// Idempotency records (<see cref="Layouts.Record"/>) to and from decisions. An outbox entry's record may be followed
/// by the holder after the decision (<see cref="HolderFormat"/>); the previous releases' records (version 3 without the
/// card state, version 4 without holds and side legs, version 5 fixed where 6 is compact, each followed by a fixed
/// holder) are still read, so their outboxes drain. Each version's fields are the first of the next one's.
/// </summary>
internal static class Records
{
    private static readonly Layout L = Layouts.Record;

    private static readonly Layout Version5 = new("record", 5, [.. L.Fields]);

    private static readonly Layout Version4 = new("record", 4, [.. L.Fields.Take(16)]);

    private static readonly Layout Version3 = new("record", 3, [.. L.Fields.Take(15)]);


    /// <param name="value">A record, or an outbox entry's record and the holder after it.</param>
    /// <param name="holder">Whose holder state follows, when one does.</param>
    public static Decision Read(ReadOnlySpan<byte> value, HotTarget holder = default)
    {
        var l = value.IsEmpty ? L : value[0] switch { 3 => Version3, 4 => Version4, 5 => Version5, _ => L };
        Span<long> v = stackalloc long[L.Fields.Count];
        if (!l.TryUnpack(value, v, out var length)) throw new FormatException("not an idempotency record of any known format");
        var after = value[length..];
        return new Decision
        {
            Outcome = (Outcome)v[At.Outcome],
            Reason = (DeclineReason)v[At.Reason],
            TransactionId = v[At.Txn],
            HolderId = v[At.Holder],
            Balances = new Balances(v[At.Purse], v[At.Wallet], v[At.Pending], v[At.Held]),
            Effect = (Effect)v[At.Effect],
            MovedFen = v[At.Moved],
            SideFen = v[At.Side],
            DeadlineMs = v[At.Deadline],
            DecidedAtMs = v[At.Ts],
            MerchantNo = v[At.Merchant],
            BusinessDay = (int)v[At.Day],
            CardState = (CardState)v[At.State],
            HolderAfter = after.IsEmpty ? null : HolderFormat.Read(holder.Campus, holder.PersonNo ?? "", after),
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

    /// <summary>Each field's place in every version.</summary>
    private static class At
    {
        public static readonly int Outcome = L.Index("outcome"), Reason = L.Index("reason"), Txn = L.Index("txn"), Holder = L.Index("holder"),
            Purse = L.Index("purse"), Wallet = L.Index("wallet"), Pending = L.Index("pending"), Effect = L.Index("effect"), Moved = L.Index("moved"),
            Ts = L.Index("ts"), Merchant = L.Index("merchant"), Day = L.Index("day"), State = L.Index("state"), Held = L.Index("held"),
            Side = L.Index("side"), Deadline = L.Index("deadline");
    }
}
