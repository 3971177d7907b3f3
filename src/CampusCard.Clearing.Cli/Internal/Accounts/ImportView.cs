using CampusCard.Clearing.Cli.Internal.Views;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Accounts;

/// <summary>The summary of an import, and the lines that failed with their reasons.</summary>
internal static class ImportView
{
    public static IRenderable Of(IReadOnlyList<ImportedRow> rows)
    {
        var summary = new Facts("Import")
            .Add("lines", rows.Count.ToString())
            .Add("opened", rows.Count(r => r.Status == ImportStatus.Opened).ToString())
            .Add("already existing", rows.Count(r => r.Status == ImportStatus.AlreadyExisting).ToString())
            .Add("failed", rows.Count(r => r.Status == ImportStatus.Failed).ToString())
            .View();
        var failures = rows.Where(r => r.Status == ImportStatus.Failed).ToList();
        if (failures.Count == 0) return summary;
        var table = new Table { Title = new TableTitle("Failed lines"), Border = TableBorder.Rounded };
        table.AddColumns("line", "person", "reason");
        foreach (var row in failures) table.AddRow(new Text(row.Line.ToString()), new Text(row.PersonNo), new Text(row.Reason ?? ""));
        return new Rows(summary, table);
    }
}
