namespace CampusCard.Clearing.Domain;

/// <summary>
/// A card number: nine digits of the cardholder id, two digits of the issue (0 for the first card,
/// one more for each replacement, 补办) and a Luhn check digit. Because the number names its
/// holder, the hot path finds the holder's Redis slot without a lookup; the holder's state says
/// which issue is live, so a replaced card's number is dead.
/// </summary>
public readonly record struct CardNumber(long HolderId, int Issue)
{
    public const int Length = 12;

    public override string ToString()
    {
        var body = $"{HolderId:D9}{Issue:D2}";
        return body + LuhnDigit(body);
    }

    public static bool TryParse(string? text, out CardNumber card)
    {
        card = default;
        if (text is null || text.Length != Length) return false;
        foreach (var c in text) if (c is < '0' or > '9') return false;
        if (LuhnDigit(text.AsSpan(0, Length - 1)) != text[^1]) return false;
        card = new CardNumber(long.Parse(text.AsSpan(0, 9)), int.Parse(text.AsSpan(9, 2)));
        return card.HolderId > 0;
    }

    private static char LuhnDigit(ReadOnlySpan<char> body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }
}
