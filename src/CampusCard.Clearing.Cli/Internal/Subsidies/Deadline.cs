using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CampusCard.Clearing.Cli.Internal.Subsidies;

/// <summary>A claim deadline: a date and time with its offset, or a date alone for the end of that day on campus (+08:00).</summary>
internal static class Deadline
{
    private static readonly TimeSpan Campus = TimeSpan.FromHours(8);

    public static Option<DateTimeOffset?> Option() => new("--deadline")
    {
        Description = "when unclaimed subsidies may be recalled: 2026-12-31 (the end of that day, +08:00) or 2026-12-31T18:00+08:00; the service's default when absent",
        CustomParser = Parse,
    };

    private static DateTimeOffset? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), Campus);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) return at;
        result.AddError($"--deadline: '{text}' is neither a date (2026-12-31) nor a date and time (2026-12-31T18:00+08:00)");
        return null;
    }
}
