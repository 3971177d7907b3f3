using System.Data.Common;
using System.Runtime.CompilerServices;

namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// A journal entry as a row of the transactions table, the same for every journal provider: the columns in their order
/// (each provider writes them its own way: a binary COPY on PostgreSQL, a table-valued parameter on SQL Server) and
/// the one way to read rows back, whichever provider's reader holds them.
/// </summary>
public static class TransactionRow
{
    public const string Columns =
        "id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen, " +
        "pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source, " +
        "direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller, " +
        "card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen, " +
        "held_after_fen, ref, occurred_at, deadline, auto_topup_fen, campus_no, holder_campus_no";

    /// <summary>Reads an entry from a row selected with the journal's columns in their order (<see cref="Columns"/>).</summary>
    public static JournalEntry Read(DbDataReader row)
    {
        var kind = (TransactionKind)row.GetInt16(4);
        var (campus, scope) = Campuses.Unqualify(row.GetString(2));
        var merchantNo = row.GetInt64(16);
        var byCard = scope.StartsWith("c:", StringComparison.Ordinal);
        var personNo = scope.StartsWith("p:", StringComparison.Ordinal) ? scope[2..] : "";
        var request = new ClearingRequest
        {
            Kind = kind,
            RequestId = row.GetString(3),
            Campus = campus,
            HolderCampus = row.GetInt16(48),
            CardNo = byCard ? scope[2..] : row.GetString(30),
            PersonNo = personNo,
            AmountFen = row.GetInt64(8),
            TerminalId = row.GetString(14),
            MerchantId = row.GetString(15),
            MerchantNo = kind == TransactionKind.Reversal ? 0 : merchantNo,
            OriginalRequestId = row.GetString(17),
            Source = (SystemAccount)row.GetInt16(18),
            Direction = (TransferDirection)row.GetInt16(19),
            Channel = row.GetString(20),
            Memo = row.GetString(21),
            Caller = new Caller((CallerRole)row.GetInt16(28), row.GetString(29), Campus: row.GetInt16(47)),
            Code = row.GetInt16(31),
            Flag = row.GetBoolean(32),
            LimitFen = row.GetInt64(33),
            Pin = (PinCheck)row.GetInt16(34),
            Ref = row.GetInt64(43),
            OccurredAtMs = row.IsDBNull(44) ? 0 : row.GetFieldValue<DateTimeOffset>(44).ToUnixTimeMilliseconds(),
        };
        var decision = new Decision
        {
            TransactionId = row.GetInt64(0),
            HolderId = row.GetInt64(1),
            Outcome = (Outcome)row.GetInt16(5),
            Reason = (DeclineReason)row.GetInt16(6),
            Effect = (Effect)row.GetInt16(7),
            MovedFen = row.GetInt64(9),
            Balances = new Balances(row.GetInt64(10), row.GetInt64(11), row.GetInt64(12), row.GetInt64(42)),
            SideFen = row.GetInt64(41),
            DeadlineMs = row.IsDBNull(45) ? 0 : row.GetFieldValue<DateTimeOffset>(45).ToUnixTimeMilliseconds(),
            MerchantNo = merchantNo,
            BusinessDay = row.GetInt32(22),
            DecidedAtMs = row.GetFieldValue<DateTimeOffset>(23).ToUnixTimeMilliseconds(),
            CardState = (CardState)row.GetInt16(35),
            HolderAfter = row.IsDBNull(36) ? null : HolderFormat.Read(request.HolderCampus == Campuses.None ? campus : request.HolderCampus, personNo, row.GetFieldValue<byte[]>(36)),
        };
        return new JournalEntry(request, decision);
    }

    /// <summary>
    /// The entries of rows selected with <see cref="Columns"/>, each transaction once, in id order (a transaction found
    /// both by its own key and as the original another acts on comes twice).
    /// </summary>
    public static async Task<IReadOnlyList<JournalEntry>> ReadEachOnceAsync(DbDataReader rows, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, JournalEntry>();
        while (await rows.ReadAsync(cancellationToken))
        {
            var entry = Read(rows);
            found.TryAdd(entry.Decision.TransactionId, entry);
        }
        return [.. found.Values.OrderBy(e => e.Decision.TransactionId)];
    }

    /// <summary>
    /// The keys of rows of (scope, request id, original request id or null): each request's own, and the original's of a
    /// kind that acts on one, as the journal's lookup finds them.
    /// </summary>
    public static async IAsyncEnumerable<(string Scope, string RequestId)> ReadRequestKeysAsync(
        DbDataReader rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await rows.ReadAsync(cancellationToken))
        {
            var scope = rows.GetString(0);
            yield return (scope, rows.GetString(1));
            if (!rows.IsDBNull(2)) yield return (scope, rows.GetString(2));
        }
    }
}
