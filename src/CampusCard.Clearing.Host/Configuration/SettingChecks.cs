using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>
/// The problems found in one configuration section, each naming its setting as the environment variable an operator
/// sets (<c>Engine__MaxBatchSize</c>) and saying why: a start that fails prints one line per problem.
/// </summary>
internal sealed class SettingChecks(string section)
{
    private readonly List<string> _problems = [];

    /// <summary>The environment variable of <paramref name="key"/> (nested keys joined with <c>__</c>).</summary>
    public string Name(string key) => $"{section}__{key}";

    public void Fail(string key, string why) => _problems.Add($"{Name(key)} {why}");

    public void AtLeast(string key, long value, long minimum)
    {
        if (value < minimum) Fail(key, $"is {value}: it must be at least {minimum}");
    }

    public void Within(string key, long value, long minimum, long maximum)
    {
        if (value < minimum || value > maximum) Fail(key, $"is {value}: it must be {minimum} to {maximum}");
    }

    /// <summary>A duration where 0 means none (no wait, no margin, off).</summary>
    public void NotNegative(string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero) Fail(key, $"is {value:c}: it must not be negative");
    }

    /// <summary>An interval something waits between two rounds: 0 would spin.</summary>
    public void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) Fail(key, $"is {value:c}: it must be longer than 0");
    }

    public void AtLeast(string key, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum) Fail(key, $"is {value:c}: it must be at least {minimum:c}");
    }

    public void Required(string key, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value)) Fail(key, $"is not set: {what}");
    }

    public ValidateOptionsResult Result() => _problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_problems);
}
