using Grpc.Core;

namespace CampusCard.Clearing.Cli.Internal;

/// <summary>What a gRPC status means to a script.</summary>
internal static class RpcErrors
{
    public static int ExitCode(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => ExitCodes.Usage,
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.PermissionDenied or StatusCode.Unauthenticated => ExitCodes.Denied,
        StatusCode.FailedPrecondition => ExitCodes.Precondition,
        _ => ExitCodes.Failed,
    };

    /// <summary>The canonical name, as in google.rpc.Code: NOT_FOUND.</summary>
    public static string Name(StatusCode code) => Names.Kebab(code.ToString()).Replace('-', '_').ToUpperInvariant();
}
