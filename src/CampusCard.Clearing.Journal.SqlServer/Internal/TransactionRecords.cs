using System.Data;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Formats;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;

namespace CampusCard.Clearing.Journal.SqlServer.Internal;

/// <summary>
/// The mapping of journal entries to rows of dbo.transactions on SQL Server, column for column as the PostgreSQL
/// provider's TransactionRows (its Columns order): records of the table type dbo.transaction_rows
/// (sql/sqlserver/003_provider_types.sql) for the batch insert, and entries read back from rows selected in that order.
/// </summary>
internal static class TransactionRecords
{
    public const string TypeName = "dbo.transaction_rows";

    private static readonly SqlMetaData[] Metadata =
    [
        Big("id"), Big("holder_id"), Text("scope"), Text("request_id"), Small("kind"), Small("outcome"), Small("reason"), Small("effect"),
        Big("amount_fen"), Big("moved_fen"), Big("purse_after_fen"), Big("wallet_after_fen"), Big("pending_after_fen"), Big("fingerprint"),
        Text("terminal_id"), Text("merchant_id"), Big("merchant_no"), Text("original_request_id"), Small("source"), Small("direction"),
        Text("channel"), Text("memo"), new SqlMetaData("business_day", SqlDbType.Int), Time("decided_at"),
        Small("from_kind"), Big("from_owner"), Small("to_kind"), Big("to_owner"), Small("caller_role"), Text("caller"),
        Text("card_no"), Small("code"), new SqlMetaData("flag", SqlDbType.Bit), Big("limit_fen"), Small("pin"), Small("card_state"),
        new SqlMetaData("holder_after", SqlDbType.VarBinary, SqlMetaData.Max),
        Small("side_from_kind"), Big("side_from_owner"), Small("side_to_kind"), Big("side_to_owner"), Big("side_fen"),
        Big("held_after_fen"), Big("ref"), Time("occurred_at"), Time("deadline"), Big("auto_topup_fen"), Small("campus_no"),
        Small("holder_campus_no"),
    ];

    public static int ColumnCount => Metadata.Length;

    private static SqlMetaData Big(string name) => new(name, SqlDbType.BigInt);
    private static SqlMetaData Small(string name) => new(name, SqlDbType.SmallInt);
    private static SqlMetaData Text(string name) => new(name, SqlDbType.NVarChar, SqlMetaData.Max);
    private static SqlMetaData Time(string name) => new(name, SqlDbType.DateTimeOffset, 0, 6);

    public static List<SqlDataRecord> Records(IReadOnlyList<JournalEntry> entries)
    {
        var records = new List<SqlDataRecord>(entries.Count);
        foreach (var e in entries)
        {
            var r = new SqlDataRecord(Metadata);
            var request = e.Request;
            var decision = e.Decision;
            r.SetInt64(0, decision.TransactionId);
            r.SetInt64(1, decision.HolderId);
            r.SetNullableString(2, request.Scope);
            r.SetNullableString(3, request.RequestId);
            r.SetInt16(4, (short)request.Kind);
            r.SetInt16(5, (short)decision.Outcome);
            r.SetInt16(6, (short)decision.Reason);
            r.SetInt16(7, (short)decision.Effect);
            r.SetInt64(8, request.AmountFen);
            r.SetInt64(9, decision.MovedFen);
            r.SetInt64(10, decision.Balances.PurseFen);
            r.SetInt64(11, decision.Balances.WalletFen);
            r.SetInt64(12, decision.Balances.PendingFen);
            r.SetInt64(13, request.Fingerprint);
            r.SetNullableString(14, request.TerminalId);
            r.SetNullableString(15, request.MerchantId);
            r.SetInt64(16, decision.MerchantNo);
            r.SetNullableString(17, request.OriginalRequestId);
            r.SetInt16(18, (short)request.Source);
            r.SetInt16(19, (short)request.Direction);
            r.SetNullableString(20, request.Channel);
            r.SetNullableString(21, request.Memo);
            r.SetInt32(22, decision.BusinessDay);
            r.SetDateTimeOffset(23, decision.DecidedAt.ToUniversalTime());
            SetLegs(r, 24, e.Legs);
            r.SetInt16(28, (short)request.Caller.Role);
            r.SetNullableString(29, request.Caller.Subject);
            r.SetNullableString(30, request.CardNo);
            r.SetInt16(31, request.Code);
            r.SetBoolean(32, request.Flag);
            r.SetInt64(33, request.LimitFen);
            r.SetInt16(34, (short)request.Pin);
            r.SetInt16(35, (short)decision.CardState);
            if (decision.HolderAfter is { } h) r.SetSqlBinary(36, new System.Data.SqlTypes.SqlBinary(HolderFormat.Write(h)));
            else r.SetDBNull(36);
            var side = e.SideLegs;
            SetLegs(r, 37, side);
            r.SetInt64(41, side?.AmountFen ?? 0);
            r.SetInt64(42, decision.Balances.HeldFen);
            r.SetInt64(43, request.Ref);
            if (request.OccurredAtMs > 0) r.SetDateTimeOffset(44, DateTimeOffset.FromUnixTimeMilliseconds(request.OccurredAtMs));
            else r.SetDBNull(44);
            if (decision.DeadlineMs > 0) r.SetDateTimeOffset(45, DateTimeOffset.FromUnixTimeMilliseconds(decision.DeadlineMs));
            else r.SetDBNull(45);
            r.SetInt64(46, decision.AutoTopUpRequestedFen);
            r.SetInt16(47, request.Campus);
            r.SetInt16(48, request.HolderCampus);
            records.Add(r);
        }
        return records;
    }

    private static void SetLegs(SqlDataRecord r, int first, Legs? legs)
    {
        if (legs is { } l)
        {
            r.SetInt16(first, (short)l.From.Kind);
            r.SetInt64(first + 1, l.From.Owner);
            r.SetInt16(first + 2, (short)l.To.Kind);
            r.SetInt64(first + 3, l.To.Owner);
        }
        else
        {
            for (var i = first; i < first + 4; i++) r.SetDBNull(i);
        }
    }

}
