using CampusCard.Clearing.Domain;
using Npgsql;
using NpgsqlTypes;

namespace CampusCard.Clearing.Journal.Internal;

/// <summary>The one mapping between a journal entry and its rows in transactions and postings.</summary>
internal static class TransactionRows
{
    public const string Columns =
        "id, scope, request_id, kind, outcome, reason, effect, amount_fen, moved_fen, purse_after_fen, wallet_after_fen, " +
        "pending_after_fen, fingerprint, card_issue, terminal_id, merchant_id, merchant_no, original_request_id, source, " +
        "direction, channel, memo, business_day, decided_at";

    public const string PostingColumns = "transaction_id, account_kind, account_owner, amount_fen";

    public static async Task CopyAsync(NpgsqlConnection conn, string transactionsTable, string postingsTable,
        IReadOnlyList<JournalEntry> entries, CancellationToken ct)
    {
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY {transactionsTable} ({Columns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (r, d) in entries)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(d.TransactionId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.HolderId, NpgsqlDbType.Bigint, ct);
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
                await copy.WriteAsync((short)r.CardIssue, NpgsqlDbType.Smallint, ct);
                await copy.WriteAsync(r.TerminalId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.MerchantId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(d.MerchantNo, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.OriginalRequestId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync((short)r.Source, NpgsqlDbType.Smallint, ct);
                await copy.WriteAsync((short)r.Direction, NpgsqlDbType.Smallint, ct);
                await copy.WriteAsync(r.Channel, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Memo, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(d.BusinessDay, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(d.DecidedAt, NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY {postingsTable} ({PostingColumns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var entry in entries)
            {
                foreach (var p in entry.Postings)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(entry.Decision.TransactionId, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync((short)p.Account.Kind, NpgsqlDbType.Smallint, ct);
                    await copy.WriteAsync(p.Account.Owner, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(p.AmountFen, NpgsqlDbType.Bigint, ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
    }

    /// <summary>Reads an entry from a row selected with <see cref="Columns"/>.</summary>
    public static JournalEntry Read(NpgsqlDataReader row)
    {
        var kind = (TransactionKind)row.GetInt16(3);
        var merchantNo = row.GetInt64(16);
        var request = new ClearingRequest
        {
            Kind = kind,
            HolderId = row.GetInt64(1),
            RequestId = row.GetString(2),
            AmountFen = row.GetInt64(7),
            CardIssue = row.GetInt16(13),
            TerminalId = row.GetString(14),
            MerchantId = row.GetString(15),
            MerchantNo = kind == TransactionKind.Debit ? merchantNo : 0,
            OriginalRequestId = row.GetString(17),
            Source = (SystemAccount)row.GetInt16(18),
            Direction = (TransferDirection)row.GetInt16(19),
            Channel = row.GetString(20),
            Memo = row.GetString(21),
        };
        var decision = new Decision
        {
            TransactionId = row.GetInt64(0),
            Outcome = (Outcome)row.GetInt16(4),
            Reason = (DeclineReason)row.GetInt16(5),
            Effect = (ReversalEffect)row.GetInt16(6),
            MovedFen = row.GetInt64(8),
            Balances = new Balances(row.GetInt64(9), row.GetInt64(10), row.GetInt64(11)),
            MerchantNo = merchantNo,
            BusinessDay = row.GetInt32(22),
            DecidedAtMs = row.GetFieldValue<DateTimeOffset>(23).ToUnixTimeMilliseconds(),
        };
        return new JournalEntry(request, decision);
    }
}
