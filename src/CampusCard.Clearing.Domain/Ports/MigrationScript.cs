using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace CampusCard.Clearing.Domain.Ports;

/// <summary>
/// One numbered migration of a journal provider (an embedded resource named "NNN_what.sql"), and its checksum: a script
/// changed after it was applied is refused, whatever the provider.
/// </summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The scripts embedded in <paramref name="assembly"/> directly under <paramref name="folder"/> (not in its subfolders), by version.</summary>
    public static IReadOnlyList<MigrationScript> Load(Assembly assembly, string folder)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal) && !n[folder.Length..].Contains('/')))
        {
            var name = resource[folder.Length..];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add(new MigrationScript(int.Parse(name.AsSpan(0, name.IndexOf('_'))), name, reader.ReadToEnd()));
        }
        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>
    /// The scripts through <paramref name="throughVersion"/> that a database with these (version, checksum) records has
    /// not applied, in order; refuses when an applied script has changed since.
    /// </summary>
    public static IEnumerable<MigrationScript> Pending(IReadOnlyList<MigrationScript> scripts, IReadOnlyDictionary<int, string> applied, int throughVersion)
    {
        foreach (var script in scripts.Where(s => s.Version <= throughVersion))
        {
            if (!applied.TryGetValue(script.Version, out var checksum)) yield return script;
            else if (checksum != script.Checksum)
                throw new InvalidOperationException($"migration {script.Name} was changed after it was applied; add a new migration instead");
        }
    }
}
