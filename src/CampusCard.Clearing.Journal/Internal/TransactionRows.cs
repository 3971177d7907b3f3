using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using Npgsql;

namespace CampusCard.Clearing.Journal.Internal;

/// <summary>
/// The one mapping between journal entries and their rows in transactions, each with the legs its postings are
/// derived from (two, and two side legs where a second amount moved). A batch goes in by one binary COPY.
/// </summary>
internal static class TransactionRows
{
    public const string Columns = TransactionRow.Columns;

    private static readonly short FieldCount = (short)Columns.Split(',').Length;

    /// <summary>
    /// Writes the entries into <paramref name="table"/> by one binary COPY: each value goes once, as the column's own
    /// type, where the INSERT over unnest() sent an array per column that the server took apart again. COPY runs the
    /// table's CHECKs, unique indexes and statement triggers as an INSERT does, and a duplicate fails it whole.
    /// </summary>
    public static async Task CopyAsync(NpgsqlConnection conn, string table, IReadOnlyList<JournalEntry> entries, CancellationToken ct)
    {
        var rows = new BinaryCopyRows();
        foreach (var e in entries) WriteRow(rows, e);
        var data = rows.Complete();
        await using var copy = await conn.BeginRawBinaryCopyAsync($"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)", ct);
        await copy.WriteAsync(data, ct);
    }

    /// <summary>One row: the values in the order of <see cref="Columns"/>, each in its column's type.</summary>
    private static void WriteRow(BinaryCopyRows row, JournalEntry e)
    {
        var (r, d) = (e.Request, e.Decision);
        row.StartRow(FieldCount);
        row.Int64(d.TransactionId);
        row.Int64(d.HolderId);
        row.Text(r.Scope);
        row.Text(r.RequestId);
        row.Int16((short)r.Kind);
        row.Int16((short)d.Outcome);
        row.Int16((short)d.Reason);
        row.Int16((short)d.Effect);
        row.Int64(r.AmountFen);
        row.Int64(d.MovedFen);
        row.Int64(d.Balances.PurseFen);
        row.Int64(d.Balances.WalletFen);
        row.Int64(d.Balances.PendingFen);
        row.Int64(r.Fingerprint);
        row.Text(r.TerminalId);
        row.Text(r.MerchantId);
        row.Int64(d.MerchantNo);
        row.Text(r.OriginalRequestId);
        row.Int16((short)r.Source);
        row.Int16((short)r.Direction);
        row.Text(r.Channel);
        row.Text(r.Memo);
        row.Int32(d.BusinessDay);
        row.Time(d.DecidedAt.UtcDateTime);
        WriteLegs(row, e.Legs);
        row.Int16((short)r.Caller.Role);
        row.Text(r.Caller.Subject);
        row.Text(r.CardNo);
        row.Int16(r.Code);
        row.Boolean(r.Flag);
        row.Int64(r.LimitFen);
        row.Int16((short)r.Pin);
        row.Int16((short)d.CardState);
        if (d.HolderAfter is { } h) row.Bytes(HolderFormat.Write(h));
        else row.Null();
        WriteLegs(row, e.SideLegs);
        row.Int64(e.SideLegs?.AmountFen ?? 0);
        row.Int64(d.Balances.HeldFen);
        row.Int64(r.Ref);
        WriteTimeOrNull(row, r.OccurredAtMs);
        WriteTimeOrNull(row, d.DeadlineMs);
        row.Int64(d.AutoTopUpRequestedFen);
        row.Int16(r.Campus);
        row.Int16(r.HolderCampus);
    }

    /// <summary>A pair of legs as its four columns (from kind and owner, to kind and owner), all null when there is none.</summary>
    private static void WriteLegs(BinaryCopyRows row, Legs? legs)
    {
        if (legs is not { } l)
        {
            for (var i = 0; i < 4; i++) row.Null();
            return;
        }
        row.Int16((short)l.From.Kind);
        row.Int64(l.From.Owner);
        row.Int16((short)l.To.Kind);
        row.Int64(l.To.Owner);
    }

    /// <summary>A unix-milliseconds time that is 0 when the kind has none.</summary>
    private static void WriteTimeOrNull(BinaryCopyRows row, long unixMs)
    {
        if (unixMs > 0) row.Time(DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime);
        else row.Null();
    }
}
