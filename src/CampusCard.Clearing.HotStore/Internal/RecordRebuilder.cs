using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// Recomputes the idempotency records that decide.lua would hold after deciding the journal's
/// recent transactions in order: records, reversal marks and tombstones.
/// </summary>
internal static class RecordRebuilder
{
    public static IEnumerable<(string Key, string Record, long DecidedAtMs)> Rebuild(IReadOnlyList<JournalEntry> entries, Keys keys)
    {
        var records = new Dictionary<string, (JournalEntry Entry, long ReversedBy, long TombstoneOf)>();
        foreach (var entry in entries)
        {
            var (r, d) = entry;
            var key = keys.Record(r.HolderId, r.RequestId);
            var reversedBy = r.Kind == TransactionKind.Debit && records.TryGetValue(key, out var prior) ? prior.TombstoneOf : 0;
            records[key] = (entry, reversedBy, 0);
            if (r.Kind != TransactionKind.Reversal || d.Outcome != Outcome.Approved) continue;
            var original = keys.Record(r.HolderId, r.OriginalRequestId);
            if (d.Effect == ReversalEffect.OriginalUnknown)
                records[original] = (entry, 0, d.TransactionId);
            else if (records.TryGetValue(original, out var o))
                records[original] = o with { ReversedBy = d.TransactionId };
        }
        foreach (var (key, (entry, reversedBy, tombstoneOf)) in records)
        {
            var record = tombstoneOf != 0
                ? HotRecord.Tombstone(tombstoneOf)
                : HotRecord.Format(entry.Request.Kind, entry.Request.Fingerprint, entry.Decision, reversedBy);
            yield return (key, record, entry.Decision.DecidedAtMs);
        }
    }
}
