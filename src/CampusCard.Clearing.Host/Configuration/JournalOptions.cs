using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>The journal's databases.</summary>
public enum JournalProvider { Postgres, SqlServer }

/// <summary>The journal (configuration section "Journal"); its main database's connection string is ConnectionStrings:Journal.</summary>
public sealed class JournalOptions
{
    /// <summary>Postgres or SqlServer, in any case.</summary>
    public string Provider { get; set; } = nameof(JournalProvider.Postgres);

    /// <summary>Apply the provider's migrations at start.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// Journal databases besides the main one, by name (journal placement, docs/scaling.md): a campus is placed in one of
    /// them when it is created (Admin.CreateCampus's journal_database), or in the main one.
    /// </summary>
    public Dictionary<string, JournalDatabaseOptions> Databases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many journal databases the deployment has: the main one and <see cref="Databases"/>.</summary>
    public int DatabaseCount => Databases.Count + 1;

    /// <summary>The provider <paramref name="name"/> names; none (Postgres) when it is empty; null when it names none of them.</summary>
    public static JournalProvider? Choose(string? name) =>
        string.IsNullOrEmpty(name) ? JournalProvider.Postgres
        : Enum.TryParse<JournalProvider>(name, ignoreCase: true, out var provider) && Enum.IsDefined(provider) && !char.IsDigit(name[0]) ? provider
        : null;
}

/// <summary>A journal database besides the main one (Journal:Databases:&lt;name&gt;), of the main one's provider.</summary>
public sealed class JournalDatabaseOptions
{
    /// <summary>Its number, 1 to the count of <see cref="JournalOptions.Databases"/>, each once: the database keeps the one it was first migrated as.</summary>
    public int Number { get; set; }

    /// <summary>The provider's connection string.</summary>
    public string ConnectionString { get; set; } = "";
}

internal sealed class JournalOptionsValidator() : SettingsValidator<JournalOptions>("Journal")
{
    protected override void Check(JournalOptions options, SettingChecks checks)
    {
        var provider = JournalOptions.Choose(options.Provider);
        if (provider is null)
            checks.Fail(nameof(options.Provider), $"is '{options.Provider}': it must be {string.Join(" or ", Enum.GetNames<JournalProvider>())}");
        var numbered = new Dictionary<int, string>();
        foreach (var (name, database) in options.Databases.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var key = $"{nameof(options.Databases)}__{name}";
            if (name == JournalPlacement.Main) checks.Fail(key, $"names the main journal database, whose connection string is ConnectionStrings__Journal: name another");
            else if (Campuses.Code(key, name) is not null) checks.Fail(key, "is not a journal database's name: lower-case letters, digits and '-', starting with a letter or digit");
            if (database.Number < 1 || database.Number >= options.DatabaseCount)
                checks.Fail($"{key}__{nameof(database.Number)}", $"is {database.Number}: the {options.Databases.Count} journal databases besides the main one (0) are numbered 1 to {options.Databases.Count}, each once");
            else if (!numbered.TryAdd(database.Number, name))
                checks.Fail($"{key}__{nameof(database.Number)}", $"is {database.Number}, as Journal__Databases__{numbered[database.Number]}__Number is: each journal database has a number of its own");
            if (provider is { } known && JournalConnectionStrings.Problem(known, database.ConnectionString) is { } problem)
                checks.Fail($"{key}__{nameof(database.ConnectionString)}", problem);
        }
    }
}
