using System.CommandLine;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>
/// The request id of a change: --request-id, or a new one. The CLI prints it, so a call whose answer was lost
/// (UNAVAILABLE, a timeout) can be sent again under it and be answered, not done twice.
/// </summary>
internal static class RequestIds
{
    public static Option<string?> Option() => new("--request-id")
    {
        Description = "the request id (letters, digits and - _ . :, at most 64); a new one when absent. Reuse the printed one to retry",
    };

    public static string Of(Invocation invocation, Option<string?> option) => invocation.Value(option) ?? "cli-" + Guid.NewGuid().ToString("N");
}
