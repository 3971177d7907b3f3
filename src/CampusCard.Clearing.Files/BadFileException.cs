namespace CampusCard.Clearing.Files;

/// <summary>A file that cannot be taken as it is: the line (1-based, as an editor counts them) and why.</summary>
public sealed class BadFileException(int line, string reason) : Exception($"line {line}: {reason}")
{
    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
