namespace CampusCard.Clearing.Cli;

/// <summary>What a script can tell from the CLI's exit code.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The service declined (a decision's outcome), an import or upload left rows undone, or a reconciliation found differences.</summary>
    public const int Declined = 1;
    /// <summary>Bad usage: the command line, an input file, or the service's INVALID_ARGUMENT.</summary>
    public const int Usage = 2;
    public const int NotFound = 3;
    /// <summary>No credential, an invalid one (UNAUTHENTICATED), or a role that may not call the RPC (PERMISSION_DENIED).</summary>
    public const int Denied = 4;
    /// <summary>UNAVAILABLE (retry with the same --request-id), the service not reached, and every other error.</summary>
    public const int Failed = 5;
    /// <summary>FAILED_PRECONDITION: not in this state, or not yet (a business day before its cut-off, a subsidy batch before its claim deadline).</summary>
    public const int Precondition = 6;
    /// <summary>ALREADY_EXISTS: another of it is there (an account of the person with other details, a merchant's id taken); sending it again changes nothing.</summary>
    public const int AlreadyExists = 7;

    public const string Help =
        "Exit codes: 0 ok; 1 declined (or rows of an import or upload not done, or differences found); 2 bad usage or INVALID_ARGUMENT; " +
        "3 NOT_FOUND; 4 no or invalid credential, PERMISSION_DENIED; 5 UNAVAILABLE and other errors; " +
        "6 FAILED_PRECONDITION (not in this state, or not yet: a day before its cut-off, a batch before its claim deadline); " +
        "7 ALREADY_EXISTS (another of it is there: sending it again changes nothing).";
}
