using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using Npgsql;
using NpgsqlTypes;

namespace CampusCard.Clearing.Journal.Internal;

/// <summary>
/// The one mapping between journal entries and their rows in transactions, each with the legs its postings are
/// derived from (two, and two side legs where a second amount moved). A batch goes in as one INSERT over unnest() of column arrays.
/// </summary>
internal static class TransactionRows
{
    public const string Columns =
        "id, holder_id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen, " +
        "pending_after_fen, fingerprint, terminal_id, merchant_id, merchant_no, original_request_id, source, " +
        "direction, channel, memo, business_day, decided_at, from_kind, from_owner, to_kind, to_owner, caller_role, caller, " +
        "card_no, code, flag, limit_fen, pin, card_state, holder_after, side_from_kind, side_from_owner, side_to_kind, side_to_owner, side_fen, " +
        "held_after_fen, ref, occurred_at, deadline, auto_topup_fen";

    public static NpgsqlCommand Insert(NpgsqlConnection conn, string table, IReadOnlyList<JournalEntry> entries)
    {
        var cmd = new NpgsqlCommand { Connection = conn };
        Column(cmd, entries, e => e.Decision.TransactionId, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Decision.HolderId, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Request.Scope, NpgsqlDbType.Text);
        Column(cmd, entries, e => e.Request.RequestId, NpgsqlDbType.Text);
        Column(cmd, entries, e => (short)e.Request.Kind, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => (short)e.Decision.Outcome, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => (short)e.Decision.Reason, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => (short)e.Decision.Effect, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => e.Request.AmountFen, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Decision.MovedFen, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Decision.Balances.PurseFen, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Decision.Balances.WalletFen, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Decision.Balances.PendingFen, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Request.Fingerprint, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Request.TerminalId, NpgsqlDbType.Text);
        Column(cmd, entries, e => e.Request.MerchantId, NpgsqlDbType.Text);
        Column(cmd, entries, e => e.Decision.MerchantNo, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Request.OriginalRequestId, NpgsqlDbType.Text);
        Column(cmd, entries, e => (short)e.Request.Source, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => (short)e.Request.Direction, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => e.Request.Channel, NpgsqlDbType.Text);
        Column(cmd, entries, e => e.Request.Memo, NpgsqlDbType.Text);
        Column(cmd, entries, e => e.Decision.BusinessDay, NpgsqlDbType.Integer);
        Column(cmd, entries, e => e.Decision.DecidedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        var legs = new Legs?[entries.Count];
        for (var i = 0; i < legs.Length; i++) legs[i] = entries[i].Legs;
        Column(cmd, legs, l => (short?)l?.From.Kind, NpgsqlDbType.Smallint);
        Column(cmd, legs, l => l?.From.Owner, NpgsqlDbType.Bigint);
        Column(cmd, legs, l => (short?)l?.To.Kind, NpgsqlDbType.Smallint);
        Column(cmd, legs, l => l?.To.Owner, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => (short)e.Request.Caller.Role, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => e.Request.Caller.Subject, NpgsqlDbType.Text);
        Column(cmd, entries, e => e.Request.CardNo, NpgsqlDbType.Text);
        Column(cmd, entries, e => e.Request.Code, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => e.Request.Flag, NpgsqlDbType.Boolean);
        Column(cmd, entries, e => e.Request.LimitFen, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => (short)e.Request.Pin, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => (short)e.Decision.CardState, NpgsqlDbType.Smallint);
        Column(cmd, entries, e => e.Decision.HolderAfter is { } h ? HolderFormat.Write(h) : null, NpgsqlDbType.Bytea);
        for (var i = 0; i < legs.Length; i++) legs[i] = entries[i].SideLegs;
        Column(cmd, legs, l => (short?)l?.From.Kind, NpgsqlDbType.Smallint);
        Column(cmd, legs, l => l?.From.Owner, NpgsqlDbType.Bigint);
        Column(cmd, legs, l => (short?)l?.To.Kind, NpgsqlDbType.Smallint);
        Column(cmd, legs, l => l?.To.Owner, NpgsqlDbType.Bigint);
        Column(cmd, legs, l => l?.AmountFen ?? 0, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Decision.Balances.HeldFen, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Request.Ref, NpgsqlDbType.Bigint);
        Column(cmd, entries, e => e.Request.OccurredAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(e.Request.OccurredAtMs).UtcDateTime : (DateTime?)null, NpgsqlDbType.TimestampTz);
        Column(cmd, entries, e => e.Decision.DeadlineMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(e.Decision.DeadlineMs).UtcDateTime : (DateTime?)null, NpgsqlDbType.TimestampTz);
        Column(cmd, entries, e => AutoTopUpFen(e.Decision), NpgsqlDbType.Bigint);
        cmd.CommandText = $"INSERT INTO {table} ({Columns}) SELECT * FROM unnest({Placeholders(cmd)})";
        return cmd;
    }

    /// <summary>What the auto top-up request this decision opened asks for (the holder after it names the decision), else 0.</summary>
    private static long AutoTopUpFen(Decision d) =>
        d.HolderAfter is { } h && h.AutoOpenTxn == d.TransactionId ? h.AutoTopUpFen : 0;

    private static void Column<TRow, T>(NpgsqlCommand cmd, IReadOnlyList<TRow> rows, Func<TRow, T> value, NpgsqlDbType type)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++) values[i] = value(rows[i]);
        cmd.Parameters.Add(new NpgsqlParameter<T[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = values });
    }

    private static string Placeholders(NpgsqlCommand cmd) => string.Join(", ", Enumerable.Range(1, cmd.Parameters.Count).Select(i => $"${i}"));

    /// <summary>Reads an entry from a row selected with <see cref="Columns"/>.</summary>
    public static JournalEntry Read(NpgsqlDataReader row)
    {
        var kind = (TransactionKind)row.GetInt16(4);
        var scope = row.GetString(2);
        var merchantNo = row.GetInt64(16);
        var byCard = scope.StartsWith("c:", StringComparison.Ordinal);
        var personNo = scope.StartsWith("p:", StringComparison.Ordinal) ? scope[2..] : "";
        var request = new ClearingRequest
        {
            Kind = kind,
            RequestId = row.GetString(3),
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
            Caller = new Caller((CallerRole)row.GetInt16(28), row.GetString(29)),
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
            HolderAfter = row.IsDBNull(36) ? null : HolderFormat.Read(personNo, row.GetFieldValue<byte[]>(36)),
        };
        return new JournalEntry(request, decision);
    }
}
