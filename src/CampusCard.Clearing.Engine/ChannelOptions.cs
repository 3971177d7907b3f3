using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.Engine;

/// <summary>The top-up channels' rules by name, from the "Channels" configuration section.</summary>
public sealed class ChannelOptions : Dictionary<string, ChannelRules>
{
    public ChannelOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}
