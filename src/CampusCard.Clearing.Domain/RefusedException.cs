namespace CampusCard.Clearing.Domain;

/// <summary>The status a refused call ends with. Each <see cref="ErrorReason"/> belongs to one: its hundreds.</summary>
public enum Refusal : byte
{
    /// <summary>The request is malformed; sending it again will not help.</summary>
    InvalidArgument = 1,
    NotFound = 2,
    AlreadyExists = 3,
    /// <summary>The request is well formed but the state does not allow it (a request id reused for other content, say).</summary>
    FailedPrecondition = 4,
    /// <summary>The caller may not do this.</summary>
    PermissionDenied = 5,
    /// <summary>The caller's credential is missing, invalid, or names a terminal that may not call now.</summary>
    Unauthenticated = 6,
    /// <summary>The engine cannot take the request now; retry it with the same request id.</summary>
    Unavailable = 7,
    /// <summary>The service failed unexpectedly.</summary>
    Internal = 8,
}

/// <summary>
/// A request refused with a reason a program can act on (<see cref="ErrorReason"/>, the ErrorInfo of the status) and a
/// message a person can read: the request changed nothing. The gRPC adapters map it to its status in one place.
/// </summary>
public class RefusedException(ErrorReason reason, string message, IReadOnlyDictionary<string, string>? metadata = null) : Exception(message)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public ErrorReason Reason { get; } = reason;

    public Refusal Refusal => ErrorReasons.RefusalOf(Reason);

    /// <summary>What the reason is about (the request id reused, the terminal refused), for programs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata ?? None;

    /// <summary>The field that broke a rule, for <see cref="ErrorReason.InvalidField"/>.</summary>
    public Violation? Violation { get; private init; }

    public static RefusedException Invalid(Violation violation) => new(ErrorReason.InvalidField, violation.Message) { Violation = violation };

    public static RefusedException Invalid(string field, string message) => Invalid(new Violation(field, message));
}
