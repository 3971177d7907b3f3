using System.Globalization;
using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// An idempotency record as decide.lua writes it:
/// kind|fp|outcome|reason|txn|pu|ew|pe|effect|moved|ts|merchant|day|rv.
/// The same text is the decision half of an outbox entry.
/// </summary>
internal static class HotRecord
{
    private const string TombstonePrefix = "T|";

    public static string Format(TransactionKind kind, long fingerprint, Decision d, long reversedBy) => string.Create(CultureInfo.InvariantCulture,
        $"{(int)kind}|{fingerprint}|{(int)d.Outcome}|{(int)d.Reason}|{d.TransactionId}|{d.Balances.PurseFen}|{d.Balances.WalletFen}|{d.Balances.PendingFen}|{(int)d.Effect}|{d.MovedFen}|{d.DecidedAtMs}|{d.MerchantNo}|{d.BusinessDay}|{reversedBy}");

    public static Decision Parse(ReadOnlySpan<char> record)
    {
        Span<Range> ranges = stackalloc Range[15];
        if (record.Split(ranges, '|') != 14) throw new FormatException($"not a hot record: {record}");
        Span<long> f = stackalloc long[14];
        for (var i = 0; i < f.Length; i++) f[i] = long.Parse(record[ranges[i]], CultureInfo.InvariantCulture);
        return new Decision
        {
            Outcome = (Outcome)f[2],
            Reason = (DeclineReason)f[3],
            TransactionId = f[4],
            Balances = new Balances(f[5], f[6], f[7]),
            Effect = (ReversalEffect)f[8],
            MovedFen = f[9],
            DecidedAtMs = f[10],
            MerchantNo = f[11],
            BusinessDay = (int)f[12],
        };
    }

    public static string Tombstone(long reversalId) => TombstonePrefix + reversalId.ToString(CultureInfo.InvariantCulture);
}
