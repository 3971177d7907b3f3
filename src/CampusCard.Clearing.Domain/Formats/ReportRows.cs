using System.Data.Common;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.Domain.Formats;

/// <summary>
/// The rows a rebuild, settlement and statements read, the same for every journal provider: each provider's query
/// returns these columns in this order (journal_holder_states, journal_merchant_days, journal_statement), and this is
/// the one way to read them.
/// </summary>
public static class ReportRows
{
    /// <summary>merchant no, id, name, category, sales, gross, reversals, reversed, refunds, refunded, settled.</summary>
    public static async Task<IReadOnlyList<MerchantDay>> ReadMerchantDaysAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        var days = new List<MerchantDay>();
        while (await r.ReadAsync(cancellationToken))
            days.Add(new MerchantDay(r.GetInt64(0), r.GetString(1), r.GetString(2), (MerchantCategory)r.GetInt16(3),
                r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10)));
        return days;
    }

    /// <summary>
    /// id, decided at, kind, effect, the four accounts' changes, merchant id, name, category, the four balances after, memo,
    /// the refunds payable change, occurred at (null but for offline records).
    /// </summary>
    public static async Task<IReadOnlyList<StatementLine>> ReadStatementAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        var lines = new List<StatementLine>();
        while (await r.ReadAsync(cancellationToken))
            lines.Add(new StatementLine(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), (TransactionKind)r.GetInt16(2), (Effect)r.GetInt16(3),
                r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetString(8), r.GetString(9), (MerchantCategory)r.GetInt16(10),
                new Balances(r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), r.GetInt64(14)), r.GetString(15), r.GetInt64(16),
                r.IsDBNull(17) ? null : r.GetFieldValue<DateTimeOffset>(17)));
        return lines;
    }

    /// <summary>
    /// holder id, person no, card type, legacy card, holder_after, purse, wallet, pending, the day's spend, held, campus, the
    /// day of the spend (its campus's business day): each holder's newest state with the balances of its legs. A holder opened before lifecycle decisions (no holder_after,
    /// a legacy card) has its one card live and active, without limits.
    /// </summary>
    public static async Task<List<HolderHotState>> ReadHolderStatesAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        var holders = new List<HolderHotState>();
        while (await r.ReadAsync(cancellationToken))
        {
            var personNo = r.GetString(1);
            var campus = r.GetInt16(10);
            var state = r.IsDBNull(4)
                ? new HolderHotState { HolderId = r.GetInt64(0), PersonNo = personNo, Campus = campus, Card = CardNumbers.Fingerprint(r.GetString(3)), CardType = (CardType)r.GetInt16(2) }
                : HolderFormat.Read(campus, personNo, r.GetFieldValue<byte[]>(4));
            holders.Add(state with
            {
                Balances = new Balances(r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(9)),
                SpendDay = r.GetInt32(11),
                DaySpentFen = r.GetInt64(8),
            });
        }
        return holders;
    }
}
