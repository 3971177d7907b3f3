using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// Recomputes the idempotency records that the deciders would hold after deciding journal entries in order:
/// records, the marks a later request left on its original (<see cref="KindDescriptor.MarkOriginal"/>) and
/// tombstones, by (scope, request id). Used to rebuild the hot state, and to give a decide the journal's answers for
/// records the hot state no longer has.
/// </summary>
internal static class RecordRebuilder
{
    /// <returns>Each record by its key, with the campus of the card's holder when it is another than the scope's (<see cref="ClearingRequest.HolderCampus"/>).</returns>
    public static IEnumerable<(string Scope, string RequestId, byte[] Record, long DecidedAtMs, short HolderCampus)> Rebuild(IEnumerable<JournalEntry> entries)
    {
        var records = new Dictionary<(string, string), (JournalEntry Entry, long ClosedBy, long UndoneFen, long TombstoneOf)>();
        foreach (var entry in entries.OrderBy(e => e.Decision.TransactionId))
        {
            var (r, d) = entry;
            var key = (r.Scope, r.RequestId);
            var closedBy = r.Kind == TransactionKind.Debit && records.TryGetValue(key, out var prior) ? prior.TombstoneOf : 0;
            records[key] = (entry, closedBy, 0, 0);
            if (!r.Descriptor.ActsOnOriginal || d.Outcome != Outcome.Approved) continue;
            var original = (r.Scope, r.OriginalRequestId);
            if (d.Effect == Effect.OriginalUnknown)
            {
                records[original] = (entry, 0, 0, d.TransactionId);
                continue;
            }
            var mark = r.Descriptor.MarkOriginal(entry);
            if (records.TryGetValue(original, out var o))
                records[original] = o with { ClosedBy = mark.Close ? d.TransactionId : o.ClosedBy, UndoneFen = o.UndoneFen + mark.UndoneFen };
        }
        foreach (var ((scope, requestId), (entry, closedBy, undoneFen, tombstoneOf)) in records)
        {
            var record = tombstoneOf != 0
                ? Records.Tombstone(tombstoneOf, entry.Decision.DecidedAtMs)
                : Records.Write(entry.Request, entry.Decision, closedBy, undoneFen);
            yield return (scope, requestId, record, entry.Decision.DecidedAtMs, entry.Request.HolderCampus);
        }
    }
}
