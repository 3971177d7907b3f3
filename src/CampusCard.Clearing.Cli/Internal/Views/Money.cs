using System.Globalization;

namespace CampusCard.Clearing.Cli.Internal.Views;

/// <summary>Fen as the card office reads them: ¥12.34.</summary>
internal static class Money
{
    public static string Yuan(long fen)
    {
        var sign = fen < 0 ? "-" : "";
        var magnitude = Math.Abs(fen);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}¥{magnitude / 100:N0}.{magnitude % 100:00}");
    }

    /// <summary>What a transaction did to a cardholder's money: +¥8.00 in, -¥12.00 out.</summary>
    public static string Signed(long fen) => fen > 0 ? "+" + Yuan(fen) : Yuan(fen);
}
