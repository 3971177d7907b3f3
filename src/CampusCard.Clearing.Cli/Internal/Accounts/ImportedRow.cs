namespace CampusCard.Clearing.Cli.Internal.Accounts;

internal enum ImportStatus
{
    Opened,
    AlreadyExisting,
    Failed,
}

/// <summary>What became of one line of an import; <paramref name="Retryable"/> when the service could not be reached or answer in time.</summary>
internal sealed record ImportedRow(int Line, string PersonNo, ImportStatus Status, string CardNo, string? Reason, bool Retryable = false);
