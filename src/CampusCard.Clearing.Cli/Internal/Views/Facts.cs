using Spectre.Console;
using Spectre.Console.Rendering;

namespace CampusCard.Clearing.Cli.Internal.Views;

/// <summary>A titled two-column table of one thing's facts.</summary>
internal sealed class Facts(string title)
{
    private readonly List<(string Name, IRenderable Value)> _rows = [];

    public Facts Add(string name, string value) => Add(name, new Text(value));

    public Facts Add(string name, IRenderable value)
    {
        _rows.Add((name, value));
        return this;
    }

    public Facts AddIf(bool condition, string name, string value) => condition ? Add(name, value) : this;

    public Table View()
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        table.AddColumn("");
        table.AddColumn("");
        table.HideHeaders();
        foreach (var (name, value) in _rows) table.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), value);
        return table;
    }
}
