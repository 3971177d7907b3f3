using System.Text.RegularExpressions;
using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Engine;
using CampusCard.Clearing.Host.Security;
using CampusCard.Clearing.HotStore;
using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>
/// Every options class the host binds, each with its validator, checked before anything starts (<see cref="Check"/>):
/// a service with a bad setting stops with a line naming it, instead of logging Ready and failing its calls.
/// </summary>
internal static partial class StartupConfiguration
{
    public static IServiceCollection AddValidatedOptions(this IServiceCollection services, IConfiguration config)
    {
        Add<GrpcListenOptions, GrpcListenOptionsValidator>(services, config, "Listen");
        Add<MetricsOptions, MetricsOptionsValidator>(services, config, "Metrics");
        Add<ConnectionStringOptions, ConnectionStringOptionsValidator>(services, config, "ConnectionStrings");
        Add<JournalOptions, JournalOptionsValidator>(services, config, "Journal");
        Add<AuthOptions, AuthOptionsValidator>(services, config, "Auth");
        Add<HotStoreOptions, HotStoreOptionsValidator>(services, config, "HotStore");
        Add<EngineOptions, EngineOptionsValidator>(services, config, "Engine");
        Add<ChannelOptions, ChannelOptionsValidator>(services, config, "Channels");
        Add<CardRules, CardRulesValidator>(services, config, "Cards");
        Add<FinanceOptions, FinanceOptionsValidator>(services, config, "Finance");
        Add<CampusOptions, CampusOptionsValidator>(services, config, "Campuses");
        return services;
    }

    private static void Add<TOptions, TValidator>(IServiceCollection services, IConfiguration config, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(config.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }

    /// <summary>Binds and validates every options class now; <see cref="ConfigurationException"/> with every problem found.</summary>
    public static void Check(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            throw new ConfigurationException(e.Failures.ToList());
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            throw new ConfigurationException(e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures).ToList());
        }
        catch (InvalidOperationException e) when (Unconvertible().Match(e.Message) is { Success: true } match)
        {
            throw new ConfigurationException([$"{match.Groups["path"].Value.Replace(":", "__", StringComparison.Ordinal)} {Expected(match.Groups["type"].Value)}"]);
        }
    }

    /// <summary>What a value the binder could not convert to <paramref name="typeName"/> should have been.</summary>
    private static string Expected(string typeName) => typeName switch
    {
        "System.Int32" or "System.Int64" => "is not a whole number",
        "System.Boolean" => "is not true or false",
        "System.TimeSpan" => "is not a duration ([d.]hh:mm[:ss[.fff]], as 00:00:05 for 5 seconds)",
        "System.TimeOnly" => "is not a time of day (HH:mm, as 05:00)",
        _ when AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is { IsEnum: true }) is { } type =>
            $"is not one of {string.Join(", ", Enum.GetNames(type))}",
        _ => $"is not a valid {typeName}",
    };

    /// <summary>The binder's message for a value it cannot convert (Microsoft.Extensions.Configuration.Binder).</summary>
    [GeneratedRegex("^Failed to convert configuration value (?:'.*' )?at '(?<path>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex Unconvertible();
}
