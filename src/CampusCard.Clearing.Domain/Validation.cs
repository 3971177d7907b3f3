namespace CampusCard.Clearing.Domain;

/// <summary>
/// The shape rules for what callers send. A rule that fails makes the call INVALID_ARGUMENT and changes nothing; each
/// returns the <see cref="Violation"/> the caller sees (the field and a message), or null when the value is fine.
/// </summary>
public static class Validation
{
    /// <summary>100,000 yuan: far above any real card transaction, low enough that sums never overflow.</summary>
    public const long MaxAmountFen = 10_000_000;

    /// <summary>A violation of <paramref name="field"/> whose message is the field's name and <paramref name="rule"/>.</summary>
    public static Violation Fail(string field, string rule) => new(field, $"{field} {rule}");

    public static Violation? Identifier(string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value)) return Fail(field, "is required");
        if (value.Length > maxLength) return Fail(field, $"is longer than {maxLength} characters");
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                return Fail(field, $"'{value}' may hold only letters, digits and - _ . :");
        }
        return null;
    }

    /// <summary>An identifier that may be left empty.</summary>
    public static Violation? Optional(string field, string? value, int maxLength) =>
        string.IsNullOrEmpty(value) ? null : Identifier(field, value, maxLength);

    public static Violation? RequestId(string? value, string field = "request_id") => Identifier(field, value, 64);

    public static Violation? Amount(long amountFen, string field = "amount_fen") => amountFen switch
    {
        <= 0 => Fail(field, "must be greater than 0"),
        > MaxAmountFen => Fail(field, $"must be at most {MaxAmountFen}"),
        _ => null,
    };

    public static Violation? Text(string field, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(value)) return required ? Fail(field, "is required") : null;
        if (value.Length > maxLength) return Fail(field, $"is longer than {maxLength} characters");
        foreach (var c in value) if (char.IsControl(c)) return Fail(field, "may not hold control characters");
        return null;
    }

    public static Violation? Defined<TEnum>(string field, TEnum value) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? null : Fail(field, $"must be one of {string.Join(", ", Enum.GetNames<TEnum>())}");

    /// <summary>The first failure of several rules, or null.</summary>
    public static Violation? First(params Violation?[] failures)
    {
        foreach (var f in failures) if (f is not null) return f;
        return null;
    }

    /// <summary>Refuses the call (INVALID_ARGUMENT, naming the field) at the first failed rule.</summary>
    public static void Require(params Violation?[] failures)
    {
        if (First(failures) is { } failure) throw RefusedException.Invalid(failure);
    }
}
