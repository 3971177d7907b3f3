using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Statements;

internal static class StatementViews
{
    /// <summary>A row per transaction, newest first, with the balances after it.</summary>
    public static IRenderable Lines(Statement statement)
    {
        var table = new Table { Title = new TableTitle($"Statement of {statement.PersonNo}"), Border = TableBorder.Rounded };
        table.AddColumn("time");
        table.AddColumn("kind");
        table.AddColumn(new TableColumn("amount").RightAligned());
        table.AddColumn("merchant");
        table.AddColumn(new TableColumn("purse after").RightAligned());
        table.AddColumn(new TableColumn("e-wallet after").RightAligned());
        table.AddColumn(new TableColumn("pending after").RightAligned());
        table.AddColumn(new TableColumn("held after").RightAligned());
        foreach (var line in statement.Lines)
        {
            var after = line.Balances ?? new Balances();
            table.AddRow(
                Describe.Time(line.DecidedAt),
                line.Kind,
                Money.Signed(line.AmountFen),
                Markup.Escape(line.MerchantName.Length > 0 ? line.MerchantName : line.MerchantId),
                Money.Yuan(after.PurseFen),
                Money.Yuan(after.WalletFen),
                Money.Yuan(after.PendingFen),
                Money.Yuan(after.HeldFen));
        }
        table.Caption = new TableTitle(Caption(statement));
        return table;
    }

    private static string Caption(Statement statement)
    {
        var count = $"{statement.Lines.Count} lines";
        return statement.NextPageToken.Length == 0 ? count : $"{count}; more: --page-token {statement.NextPageToken}, or --all";
    }
}
