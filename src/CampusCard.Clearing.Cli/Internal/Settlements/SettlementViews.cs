using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Settlements;

internal static class SettlementViews
{
    /// <summary>A row per merchant, and the day's totals as the footer.</summary>
    public static IRenderable Report(SettlementReport report)
    {
        var table = new Table { Title = new TableTitle($"Settlement of {report.BusinessDate}"), Border = TableBorder.Rounded, ShowFooters = true };
        table.AddColumn(new TableColumn("merchant").Footer("total"));
        table.AddColumn("name");
        table.AddColumn(new TableColumn("sales").RightAligned());
        table.AddColumn(new TableColumn("gross").RightAligned());
        table.AddColumn(new TableColumn("reversals").RightAligned());
        table.AddColumn(new TableColumn("refunds").RightAligned());
        table.AddColumn(new TableColumn("net").RightAligned().Footer(Money.Yuan(report.NetFen)));
        table.AddColumn(new TableColumn("settled").RightAligned().Footer(Money.Yuan(report.SettledFen)));
        table.AddColumn("settled before");
        foreach (var m in report.Merchants)
        {
            table.AddRow(
                Markup.Escape(m.MerchantId),
                Markup.Escape(m.Name),
                m.Sales.ToString(),
                Money.Yuan(m.GrossFen),
                Counted(m.Reversals, m.ReversalsFen),
                Counted(m.Refunds, m.RefundsFen),
                Money.Yuan(m.NetFen),
                Money.Yuan(m.SettledFen),
                m.SettledBefore ? "yes" : "no");
        }
        if (report.Merchants.Count == 0) table.Caption = new TableTitle("no merchant traded that day");
        return table;
    }

    private static string Counted(long count, long fen) => count == 0 ? "—" : $"{count} ({Money.Yuan(fen)})";
}
