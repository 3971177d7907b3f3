using System.Globalization;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>Idempotency records (<see cref="Layouts.Record"/>) to and from decisions, in this format and the one before it.</summary>
internal static class Records
{
    private static readonly Layout L = Layouts.Record;

    public static Decision Read(ReadOnlySpan<byte> record)
    {
        if (L.Holds(record))
        {
            return new Decision
            {
                Outcome = (Outcome)L.Get(record, "outcome"),
                Reason = (DeclineReason)L.Get(record, "reason"),
                TransactionId = L.Get(record, "txn"),
                HolderId = L.Get(record, "holder"),
                Balances = new Balances(L.Get(record, "purse"), L.Get(record, "wallet"), L.Get(record, "pending")),
                Effect = (ReversalEffect)L.Get(record, "effect"),
                MovedFen = L.Get(record, "moved"),
                DecidedAtMs = L.Get(record, "ts"),
                MerchantNo = L.Get(record, "merchant"),
                BusinessDay = (int)L.Get(record, "day"),
            };
        }
        return ReadVersion2(System.Text.Encoding.ASCII.GetString(record));
    }

    /// <summary>
    /// The record format of the previous release, which its outbox entries carry:
    /// "kind|fp|outcome|reason|txn|pu|ew|pe|effect|moved|ts|merchant|day|rv" in text. It named no holder: the payload beside it does.
    /// </summary>
    private static Decision ReadVersion2(string record)
    {
        var f = record.Split('|');
        if (f.Length != 14) throw new FormatException($"not an idempotency record of any known format: {record}");
        long L2(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return new Decision
        {
            Outcome = (Outcome)L2(2),
            Reason = (DeclineReason)L2(3),
            TransactionId = L2(4),
            Balances = new Balances(L2(5), L2(6), L2(7)),
            Effect = (ReversalEffect)L2(8),
            MovedFen = L2(9),
            DecidedAtMs = L2(10),
            MerchantNo = L2(11),
            BusinessDay = (int)L2(12),
        };
    }

    public static byte[] Write(ClearingRequest r, Decision d, long reversedBy) => L.Pack(
    [
        (long)r.Kind, r.Fingerprint, (long)d.Outcome, (long)d.Reason, d.TransactionId, d.HolderId,
        d.Balances.PurseFen, d.Balances.WalletFen, d.Balances.PendingFen, (long)d.Effect, d.MovedFen, d.DecidedAtMs,
        d.MerchantNo, d.BusinessDay, reversedBy,
    ]);

    public static byte[] Tombstone(long reversalId, long decidedAtMs) =>
        L.Pack([LuaPrelude.Tombstone, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, decidedAtMs, 0, 0, reversalId]);
}
