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
        StatusCode.AlreadyExists => ExitCodes.AlreadyExists,
        _ => ExitCodes.Failed,
    };

    /// <summary>The status's detail; when the service could not be reached, or did not answer in time, where it was looked for.</summary>
    public static string Message(RpcException e, string address) => e.StatusCode switch
    {
        StatusCode.Unavailable when e.Status.DebugException is { } cause => $"could not reach the clearing service at {address} ({cause.Message}); check --address or ${GlobalOptions.AddressVariable}",
        StatusCode.DeadlineExceeded => $"no answer from the clearing service at {address} within --timeout: {e.Status.Detail}",
        _ => e.Status.Detail,
    };

    /// <summary>The canonical name, as in google.rpc.Code: NOT_FOUND.</summary>
    public static string Name(StatusCode code) => Names.Kebab(code.ToString()).Replace('-', '_').ToUpperInvariant();
}
