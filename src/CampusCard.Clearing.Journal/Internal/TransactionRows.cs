using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using Npgsql;
using NpgsqlTypes;

namespace CampusCard.Clearing.Journal.Internal;

/// <summary>
/// The one mapping between journal entries and their rows in transactions, each with the legs its postings are
/// derived from (two, and two side legs where a second amount moved). A batch goes in by one binary COPY.
/// </summary>
internal static class TransactionRows
{
    public const string Columns = TransactionRow.Columns;

    /// <summary>
    /// Writes the entries into <paramref name="table"/> by one binary COPY: each value goes once, as the column's own
    /// type, where the INSERT over unnest() sent an array per column that the server took apart again. COPY runs the
    /// table's CHECKs, unique indexes and statement triggers as an INSERT does, and a duplicate fails it whole.
    /// </summary>
    public static async Task CopyAsync(NpgsqlConnection conn, string table, IReadOnlyList<JournalEntry> entries, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync($"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var e in entries)
        {
            await copy.StartRowAsync(ct);
            await WriteRowAsync(copy, e, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, JournalEntry e, CancellationToken ct)
    {
        var (r, d) = (e.Request, e.Decision);
        await copy.WriteAsync(d.TransactionId, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(d.HolderId, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(r.Scope, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.RequestId, NpgsqlDbType.Text, ct);
        await copy.WriteAsync((short)r.Kind, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((short)d.Outcome, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((short)d.Reason, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((short)d.Effect, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(r.AmountFen, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(d.MovedFen, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(d.Balances.PurseFen, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(d.Balances.WalletFen, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(d.Balances.PendingFen, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(r.Fingerprint, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(r.TerminalId, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.MerchantId, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(d.MerchantNo, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(r.OriginalRequestId, NpgsqlDbType.Text, ct);
        await copy.WriteAsync((short)r.Source, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((short)r.Direction, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(r.Channel, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.Memo, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(d.BusinessDay, NpgsqlDbType.Integer, ct);
        await copy.WriteAsync(d.DecidedAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
        await WriteLegsAsync(copy, e.Legs, ct);
        await copy.WriteAsync((short)r.Caller.Role, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(r.Caller.Subject, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.CardNo, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.Code, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(r.Flag, NpgsqlDbType.Boolean, ct);
        await copy.WriteAsync(r.LimitFen, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync((short)r.Pin, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync((short)d.CardState, NpgsqlDbType.Smallint, ct);
        await (d.HolderAfter is { } h ? copy.WriteAsync(HolderFormat.Write(h), NpgsqlDbType.Bytea, ct) : copy.WriteNullAsync(ct));
        await WriteLegsAsync(copy, e.SideLegs, ct);
        await copy.WriteAsync(e.SideLegs?.AmountFen ?? 0, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(d.Balances.HeldFen, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(r.Ref, NpgsqlDbType.Bigint, ct);
        await WriteTimeOrNullAsync(copy, r.OccurredAtMs, ct);
        await WriteTimeOrNullAsync(copy, d.DeadlineMs, ct);
        await copy.WriteAsync(d.AutoTopUpRequestedFen, NpgsqlDbType.Bigint, ct);
    }

    /// <summary>A pair of legs as its four columns (from kind and owner, to kind and owner), all null when there is none.</summary>
    private static async Task WriteLegsAsync(NpgsqlBinaryImporter copy, Legs? legs, CancellationToken ct)
    {
        if (legs is not { } l)
        {
            for (var i = 0; i < 4; i++) await copy.WriteNullAsync(ct);
            return;
        }
        await copy.WriteAsync((short)l.From.Kind, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(l.From.Owner, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync((short)l.To.Kind, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(l.To.Owner, NpgsqlDbType.Bigint, ct);
    }

    /// <summary>A unix-milliseconds time that is 0 when the kind has none.</summary>
    private static Task WriteTimeOrNullAsync(NpgsqlBinaryImporter copy, long unixMs, CancellationToken ct) =>
        unixMs > 0 ? copy.WriteAsync(DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime, NpgsqlDbType.TimestampTz, ct) : copy.WriteNullAsync(ct);
}
