using System.CommandLine;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>The options every command takes: where the service is, whose credential, and how to answer.</summary>
internal static class GlobalOptions
{
    public const string AddressVariable = "CAMPUSCARD_ADDRESS";
    public const string TokenVariable = "CAMPUSCARD_TOKEN";
    public const string TokenFileVariable = "CAMPUSCARD_TOKEN_FILE";
    public const string CampusVariable = "CAMPUSCARD_CAMPUS";
    public const string DefaultAddress = "http://127.0.0.1:50051";

    public static readonly Option<string?> Address = new("--address")
    {
        Description = $"the clearing service (default: ${AddressVariable}, else {DefaultAddress})",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"the bearer token of your role; its campus claim names the campus every call acts on (default: ${TokenVariable})",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> TokenFile = new("--token-file")
    {
        Description = $"a file holding the bearer token, e.g. .local/dev/credentials/office.token (default: ${TokenFileVariable})",
        Recursive = true,
    };

    public static readonly Option<string?> Campus = new("--campus")
    {
        HelpName = "code",
        Description = $"the code of the campus you mean to act on, checked before anything is sent (default: ${CampusVariable}): " +
            "the token's campus claim decides the campus, so a token of another campus, or one naming none (the default campus's), " +
            "exits 4; the CLI signs no tokens (issue-token --campus CODE does)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "print one JSON document on standard output instead of tables (progress goes to standard error)",
        Recursive = true,
    };

    public static readonly Option<double> Timeout = new("--timeout")
    {
        Description = "seconds before one call gives up",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    public static Option[] All => [Address, Token, TokenFile, Campus, Json, Timeout];
}
