namespace CampusCard.Clearing.Domain;

/// <summary>Why a request was refused before anything was decided: the request changed nothing.</summary>
public enum Refusal : byte
{
    /// <summary>The request is malformed; sending it again will not help.</summary>
    InvalidArgument,
    NotFound,
    AlreadyExists,
    /// <summary>The request is well formed but the state does not allow it (a request id reused for other content, say).</summary>
    FailedPrecondition,
    /// <summary>The caller may not do this.</summary>
    PermissionDenied,
    /// <summary>The engine cannot take the request now; retry it with the same request id.</summary>
    Unavailable,
}

/// <summary>
/// A request refused with a reason the caller can act on. The gRPC adapters map each <see cref="Refusal"/>
/// to its status code in one place.
/// </summary>
public class RefusedException(Refusal refusal, string message) : Exception(message)
{
    public Refusal Refusal { get; } = refusal;

    public static RefusedException Invalid(string message) => new(Refusal.InvalidArgument, message);
}
