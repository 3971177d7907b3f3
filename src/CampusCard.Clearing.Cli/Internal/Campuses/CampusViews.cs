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

    /// <summary>The campus, then a row per version of its settings (the one in force marked), each as the JSON it was given in.</summary>
    public static IRenderable Detail(CampusDetail detail)
    {
        var table = new Table { Title = new TableTitle("Settings versions"), Border = TableBorder.Rounded };
        table.AddColumn(new TableColumn("version").RightAligned());
        table.AddColumn("effective from");
        table.AddColumn("set by");
        table.AddColumn("settings");
        foreach (var version in detail.Configurations)
        {
            var inForce = version.Version == detail.VersionInForce ? " (in force)" : "";
            table.AddRow($"{version.Version}{inForce}", Describe.Time(version.EffectiveFrom), Markup.Escape(version.SetBy), Markup.Escape(Google.Protobuf.JsonFormatter.Default.Format(version.Settings)));
        }
        return new Rows(Campus(detail.Campus), detail.Configurations.Count == 0 ? new Text("no settings of its own: the deployment's apply") : table);
    }

    public static IRenderable Configuration(CampusConfiguration version) => new Facts($"Campus {version.Code}: settings version {version.Version}")
        .Add("effective from", Describe.Time(version.EffectiveFrom))
        .Add("set by", version.SetBy)
        .Add("settings", Google.Protobuf.JsonFormatter.Default.Format(version.Settings))
        .View();
}
