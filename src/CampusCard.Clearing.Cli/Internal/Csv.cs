using System.Text;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>One line of a CSV file, split into fields (double quotes around a field that holds commas).</summary>
internal sealed record CsvLine(int Number, IReadOnlyList<string> Fields)
{
    /// <summary>The non-empty lines of a file, without a header line that starts with <paramref name="firstHeader"/>.</summary>
    public static IEnumerable<CsvLine> Read(FileInfo file, string firstHeader)
    {
        if (!file.Exists) throw CliFailure.Usage($"{file.FullName} does not exist");
        var number = 0;
        foreach (var line in File.ReadLines(file.FullName))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = Split(line);
            if (number == 1 && fields[0].Equals(firstHeader, StringComparison.OrdinalIgnoreCase)) continue;
            yield return new CsvLine(number, fields);
        }
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) fields.Add(Take(field));
            else field.Append(c);
        }
        fields.Add(Take(field));
        return fields;
    }

    private static string Take(StringBuilder field)
    {
        var value = field.ToString().Trim();
        field.Clear();
        return value;
    }
}
