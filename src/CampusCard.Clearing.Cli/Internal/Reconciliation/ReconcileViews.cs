using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Reconciliation;

internal static class ReconcileViews
{
    public static IRenderable HotState(HotStateReport report)
    {
        var summary = new Facts("Hot state against the journal")
            .Add("holders compared", report.Holders.ToString())
            .Add("journaled through", $"transaction {report.JournaledThrough}")
            .Add("differences", report.Differences.Count.ToString())
            .View();
        if (report.Differences.Count == 0) return summary;
        var table = new Table { Title = new TableTitle("Differences"), Border = TableBorder.Rounded };
        table.AddColumn("person");
        table.AddColumn("field");
        table.AddColumn("hot store");
        table.AddColumn("journal");
        foreach (var d in report.Differences) table.AddRow(Markup.Escape(d.PersonNo), d.Field, Markup.Escape(d.Hot), Markup.Escape(d.Journal));
        return new Rows(summary, table);
    }

    public static IRenderable BankFile(BankReconciliation reply)
    {
        var summary = new Facts($"Bank file of {reply.BusinessDate}")
            .Add("matched", $"{reply.Matched} ({Money.Yuan(reply.MatchedFen)})")
            .Add("missing on our side", reply.MissingOnOurSide.Count.ToString())
            .Add("missing on the bank's side", reply.MissingOnBankSide.Count.ToString())
            .Add("amount differs", reply.AmountDiffers.Count.ToString())
            .View();
        var table = new Table { Title = new TableTitle("Differences"), Border = TableBorder.Rounded };
        table.AddColumn("difference");
        table.AddColumn("reference");
        table.AddColumn("person");
        table.AddColumn(new TableColumn("bank").RightAligned());
        table.AddColumn(new TableColumn("journal").RightAligned());
        table.AddColumn(new TableColumn("transaction").RightAligned());
        AddLines(table, "missing on our side", reply.MissingOnOurSide);
        AddLines(table, "missing on the bank's side", reply.MissingOnBankSide);
        AddLines(table, "amount differs", reply.AmountDiffers);
        return table.Rows.Count == 0 ? summary : new Rows(summary, table);
    }

    private static void AddLines(Table table, string difference, IEnumerable<BankLine> lines)
    {
        foreach (var l in lines)
        {
            table.AddRow(
                difference,
                Markup.Escape(l.Reference),
                Markup.Escape(l.PersonNo),
                Money.Yuan(l.AmountFen),
                Money.Yuan(l.JournalFen),
                l.TransactionId == 0 ? "—" : l.TransactionId.ToString());
        }
    }
}
