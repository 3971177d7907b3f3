using Microsoft.Data.SqlClient;
using Npgsql;
using StackExchange.Redis;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>The connection strings (configuration section "ConnectionStrings").</summary>
internal sealed class ConnectionStringOptions
{
    /// <summary>A StackExchange.Redis configuration string.</summary>
    public string Redis { get; set; } = "";

    /// <summary>The journal's: Npgsql's, or Microsoft.Data.SqlClient's with Journal:Provider SqlServer.</summary>
    public string Journal { get; set; } = "";
}

/// <summary>
/// Each connection string is parsed as its driver parses it, so a malformed one stops the start instead of failing every
/// call. The strings may hold passwords: a problem names the setting and the driver's reason, never the string.
/// </summary>
internal sealed class ConnectionStringOptionsValidator(IConfiguration config) : SettingsValidator<ConnectionStringOptions>("ConnectionStrings")
{
    protected override void Check(ConnectionStringOptions options, SettingChecks checks)
    {
        if (JournalConnectionStrings.Problem(options.Redis, "a StackExchange.Redis configuration, as 127.0.0.1:6379", RedisProblem) is { } redis)
            checks.Fail(nameof(options.Redis), redis);
        // An unknown provider is the journal settings' own problem.
        if (JournalOptions.Choose(config["Journal:Provider"]) is { } provider && JournalConnectionStrings.Problem(provider, options.Journal) is { } journal)
            checks.Fail(nameof(options.Journal), journal);
    }

    private static string? RedisProblem(string value) => ConfigurationOptions.Parse(value).EndPoints.Count == 0 ? "server" : null;
}

/// <summary>What is wrong with a journal database's connection string, as its provider's driver parses it (never the string itself, which may hold a password).</summary>
internal static class JournalConnectionStrings
{
    public static string? Problem(JournalProvider provider, string value) => provider switch
    {
        JournalProvider.Postgres => Problem(value, "an Npgsql connection string, as Host=127.0.0.1;Port=5432;Username=clearing;Database=campuscard", PostgresProblem),
        JournalProvider.SqlServer => Problem(value, "a Microsoft.Data.SqlClient connection string, as Server=db;Database=campuscard;…", SqlServerProblem),
        _ => null,
    };

    public static string? Problem(string value, string expected, Func<string, string?> parse)
    {
        if (string.IsNullOrWhiteSpace(value)) return $"is not set: it must be {expected}";
        try
        {
            return parse(value) is { } missing ? $"names no {missing}: it must be {expected}" : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return $"is malformed ({e.Message}): it must be {expected}";
        }
    }

    private static string? PostgresProblem(string value) => string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(value).Host) ? "Host" : null;

    private static string? SqlServerProblem(string value) => string.IsNullOrEmpty(new SqlConnectionStringBuilder(value).DataSource) ? "Server" : null;
}
