namespace CampusCard.Clearing.Domain;

/// <summary>A rule a field of a request broke: the field's path (as in the request: debits[3].amount_fen) and the message a person reads.</summary>
public readonly record struct Violation(string Field, string Message)
{
    /// <summary>The violation as one item of a repeated field: field and message both name the item.</summary>
    public Violation Within(string item) => new($"{item}.{Field}", $"{item}: {Message}");

    public override string ToString() => Message;
}
