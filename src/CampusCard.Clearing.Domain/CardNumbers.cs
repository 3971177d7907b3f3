namespace CampusCard.Clearing.Domain;

/// <summary>
/// Card numbers are the card office's: the number of the physical card it issues (CUMT: 学号与校园卡卡号并不一致), 6 to
/// 20 digits. When the office gives none, the engine makes one: twelve digits derived from a seed that a retry repeats
/// (the person, or the request), the last a Luhn check digit.
/// </summary>
public static class CardNumbers
{
    public const int MinLength = 6;
    public const int MaxLength = 20;
    public const int GeneratedLength = 12;

    /// <summary>The rule a number the card office issues must keep, or null when it does.</summary>
    public static Violation? Validate(string field, string? cardNo)
    {
        if (string.IsNullOrEmpty(cardNo)) return Validation.Fail(field, $"is required");
        if (cardNo.Length is < MinLength or > MaxLength) return Validation.Fail(field, $"must have {MinLength} to {MaxLength} digits");
        foreach (var c in cardNo) if (c is < '0' or > '9') return Validation.Fail(field, $"may hold digits only");
        return null;
    }

    /// <summary>
    /// A number for <paramref name="seed"/>; <paramref name="attempt"/> gives another when one is taken. It starts with 8,
    /// a range card offices leave to the engine.
    /// </summary>
    public static string Generate(string seed, int attempt = 0)
    {
        var f = new Fingerprint();
        f.Add(seed);
        f.Add(attempt);
        var body = "8" + (f.Value % 10_000_000_000L).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
        return body + LuhnDigit(body);
    }

    /// <summary>The number as the hot state compares it: which of a holder's cards is the live one.</summary>
    public static long Fingerprint(string cardNo)
    {
        var f = new Fingerprint();
        f.Add(cardNo);
        return f.Value;
    }

    public static bool HasValidCheckDigit(string cardNo) => cardNo.Length > 1 && LuhnDigit(cardNo.AsSpan(0, cardNo.Length - 1)) == cardNo[^1];

    private static char LuhnDigit(ReadOnlySpan<char> body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }
}
