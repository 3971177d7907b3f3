using System.Globalization;

namespace CampusCard.Clearing.Engine;

/// <summary>An amount of the bank's file in fen: whole fen, or yuan with at most two decimals (123.45); never negative.</summary>
internal static class BankAmount
{
    /// <summary>The amount in fen, or null and why the text is not one.</summary>
    public static (long? Fen, string? Problem) Parse(string text, BankAmountUnit unit)
    {
        if (text.StartsWith('-')) return (null, "is negative");
        return unit == BankAmountUnit.Yuan ? Yuan(text) : Fen(text);
    }

    private static (long?, string?) Fen(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var fen) ? (fen, null) : (null, "is not a whole number of fen");

    private static (long?, string?) Yuan(string text)
    {
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var decimals = point < 0 ? "" : text[(point + 1)..];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || !decimals.All(char.IsAsciiDigit) || (point >= 0 && decimals.Length == 0))
            return (null, "is not a number of yuan such as 123.45");
        if (decimals.Length > 2) return (null, "has more than two decimals");
        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var yuan) || yuan > (long.MaxValue - 99) / 100) return (null, "is too large");
        return (yuan * 100 + (decimals.Length == 0 ? 0 : int.Parse(decimals.PadRight(2, '0'), CultureInfo.InvariantCulture)), null);
    }
}
