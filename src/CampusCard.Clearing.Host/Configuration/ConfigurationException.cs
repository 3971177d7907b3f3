namespace CampusCard.Clearing.Host.Configuration;

/// <summary>Settings the service cannot start with: one line per problem, each naming its environment variable and why.</summary>
public sealed class ConfigurationException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
