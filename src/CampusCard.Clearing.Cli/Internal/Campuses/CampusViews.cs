using CampusCard.Clearing.Cli.Internal.Views;
using CampusCard.Clearing.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Campuses;

internal static class CampusViews
{
    public static IRenderable Campus(Contracts.V1.Campus campus) => new Facts($"Campus {campus.Code}")
        .Add("number", campus.CampusNo.ToString())
        .Add("name", campus.Name)
        .Add("journal database", campus.JournalDatabase)
        .Add("created", Describe.Time(campus.CreatedAt))
        .View();

    /// <summary>A row per campus.</summary>
    public static IRenderable List(ListCampusesReply reply)
    {
        var table = new Table { Title = new TableTitle("Campuses"), Border = TableBorder.Rounded };
        table.AddColumn(new TableColumn("number").RightAligned());
        table.AddColumn("code");
        table.AddColumn("name");
        table.AddColumn("journal database");
        table.AddColumn("created");
        foreach (var campus in reply.Campuses)
            table.AddRow(campus.CampusNo.ToString(), Markup.Escape(campus.Code), Markup.Escape(campus.Name), Markup.Escape(campus.JournalDatabase), Describe.Time(campus.CreatedAt));
        return table;
    }
}
