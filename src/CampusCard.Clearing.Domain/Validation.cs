namespace CampusCard.Clearing.Domain;

/// <summary>
/// The shape rules for what callers send. A rule that fails makes the call INVALID_ARGUMENT and
/// changes nothing; each returns the message the caller sees, or null when the value is fine.
/// </summary>
public static class Validation
{
    /// <summary>100,000 yuan: far above any real card transaction, low enough that sums never overflow.</summary>
    public const long MaxAmountFen = 10_000_000;

    public static string? Identifier(string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value)) return $"{field} is required";
        if (value.Length > maxLength) return $"{field} is longer than {maxLength} characters";
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                return $"{field} '{value}' may hold only letters, digits and - _ . :";
        }
        return null;
    }

    /// <summary>An identifier that may be left empty.</summary>
    public static string? Optional(string field, string? value, int maxLength) =>
        string.IsNullOrEmpty(value) ? null : Identifier(field, value, maxLength);

    public static string? RequestId(string? value, string field = "request_id") => Identifier(field, value, 64);

    public static string? Amount(long amountFen) => amountFen switch
    {
        <= 0 => "amount_fen must be greater than 0",
        > MaxAmountFen => $"amount_fen must be at most {MaxAmountFen}",
        _ => null,
    };

    public static string? Text(string field, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(value)) return required ? $"{field} is required" : null;
        if (value.Length > maxLength) return $"{field} is longer than {maxLength} characters";
        foreach (var c in value) if (char.IsControl(c)) return $"{field} may not hold control characters";
        return null;
    }

    public static string? Defined<TEnum>(string field, TEnum value) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? null : $"{field} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}";

    /// <summary>The first failure of several rules, or null.</summary>
    public static string? First(params string?[] failures)
    {
        foreach (var f in failures) if (f is not null) return f;
        return null;
    }
}
