namespace CampusCard.Clearing.Cli.Internal.Accounts;

internal enum ImportStatus
{
    Opened,
    AlreadyExisting,
    Failed,
}

/// <summary>What became of one line of an import.</summary>
internal sealed record ImportedRow(int Line, string PersonNo, ImportStatus Status, string CardNo, string? Reason);
