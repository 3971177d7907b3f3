using System.Net;

namespace CampusCard.Clearing.Host.Configuration;

/// <summary>Where Prometheus scrapes /metrics (configuration section "Metrics"), over HTTP/1.1 on a port of its own.</summary>
internal sealed class MetricsOptions
{
    /// <summary>Empty turns the endpoint off.</summary>
    public string Address { get; set; } = "127.0.0.1:9464";

    public IPEndPoint? Endpoint => Address.Length == 0 ? null : Endpoints.Parse(Address);
}

internal sealed class MetricsOptionsValidator() : SettingsValidator<MetricsOptions>("Metrics")
{
    protected override void Check(MetricsOptions options, SettingChecks checks)
    {
        if (options.Address.Length > 0 && options.Endpoint is null)
            checks.Fail(nameof(options.Address), $"is '{options.Address}': it must be {Endpoints.Expected}, or empty for no metrics endpoint");
    }
}
