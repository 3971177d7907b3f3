namespace CampusCard.Clearing.Cli.Internal;

/// <summary>The bearer token of this run: --token, --token-file, then their environment variables.</summary>
internal static class Credential
{
    public static string Resolve(string? token, FileInfo? tokenFile, Func<string, string?> variable)
    {
        if (!string.IsNullOrWhiteSpace(token)) return token.Trim();
        if (tokenFile is not null) return Read(tokenFile.FullName);
        if (variable(GlobalOptions.TokenVariable) is { Length: > 0 } fromVariable) return fromVariable.Trim();
        if (variable(GlobalOptions.TokenFileVariable) is { Length: > 0 } path) return Read(path);
        throw CliFailure.NoCredential($"no credential: give --token or --token-file, or set ${GlobalOptions.TokenVariable} or ${GlobalOptions.TokenFileVariable}");
    }

    private static string Read(string path) =>
        File.Exists(path) ? File.ReadAllText(path).Trim() : throw CliFailure.Usage($"the token file {path} does not exist");
}
