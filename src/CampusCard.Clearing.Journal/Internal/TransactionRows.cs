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
    public const string Columns = TransactionRow.Columns;

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
        Column(cmd, entries, e => e.Decision.AutoTopUpRequestedFen, NpgsqlDbType.Bigint);
        cmd.CommandText = $"INSERT INTO {table} ({Columns}) SELECT * FROM unnest({Placeholders(cmd)})";
        return cmd;
    }

    private static void Column<TRow, T>(NpgsqlCommand cmd, IReadOnlyList<TRow> rows, Func<TRow, T> value, NpgsqlDbType type)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++) values[i] = value(rows[i]);
        cmd.Parameters.Add(new NpgsqlParameter<T[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = values });
    }

    private static string Placeholders(NpgsqlCommand cmd) => string.Join(", ", Enumerable.Range(1, cmd.Parameters.Count).Select(i => $"${i}"));
}
