using System.Text.Json;

namespace CampusCard.Clearing.LoadGen;

public enum LoadMode { Unary, Batch, Offline, Baseline, BaselineLean, All }

/// <summary>Modes by the one name the command line, the console, the reports and their file names use: "baseline-lean".</summary>
public static class LoadModes
{
    public static readonly JsonNamingPolicy Naming = JsonNamingPolicy.KebabCaseLower;

    public static string Name(this LoadMode mode) => Naming.ConvertName(mode.ToString());

    /// <summary>A stored-procedure design in PostgreSQL, not the clearing service.</summary>
    public static bool IsBaseline(this LoadMode mode) => mode is LoadMode.Baseline or LoadMode.BaselineLean;

    public static IEnumerable<string> Names => Enum.GetValues<LoadMode>().Select(Name);

    public static LoadMode? Parse(string name)
    {
        foreach (var mode in Enum.GetValues<LoadMode>())
        {
            if (mode.Name() == name) return mode;
        }
        return null;
    }
}
