
namespace CampusCard.Clearing.Host.Configuration;

/// <summary>The journal's databases.</summary>
public enum JournalProvider { Postgres, SqlServer }

/// <summary>The journal (configuration section "Journal"); its connection string is ConnectionStrings:Journal.</summary>
public sealed class JournalOptions
{
    /// <summary>Postgres or SqlServer, in any case.</summary>
    public string Provider { get; set; } = nameof(JournalProvider.Postgres);

    /// <summary>Apply the provider's migrations at start.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The provider <paramref name="name"/> names; none (Postgres) when it is empty; null when it names none of them.</summary>
    public static JournalProvider? Choose(string? name) =>
        string.IsNullOrEmpty(name) ? JournalProvider.Postgres
        : Enum.TryParse<JournalProvider>(name, ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !char.IsDigit(name[0]) ? provider
        : null;
}

internal sealed class JournalOptionsValidator() : SettingsValidator<JournalOptions>("Journal")
{
    protected override void Check(JournalOptions options, SettingChecks checks)
    {
        if (JournalOptions.Choose(options.Provider) is null)
            checks.Fail(nameof(options.Provider), $"is '{options.Provider}': it must be {string.Join(" or ", Enum.GetNames<JournalProvider>())}");
    }
}
