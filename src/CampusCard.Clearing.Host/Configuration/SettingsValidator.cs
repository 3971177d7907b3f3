using Microsoft.Extensions.Options;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>The check of one configuration section's options, each problem naming its setting (<see cref="SettingChecks"/>).</summary>
internal abstract class SettingsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var checks = new SettingChecks(section);
        Check(options, checks);
        return checks.Result();
    }

    protected abstract void Check(TOptions options, SettingChecks checks);
}
