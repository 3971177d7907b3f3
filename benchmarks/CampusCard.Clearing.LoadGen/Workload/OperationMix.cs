using System.Globalization;

namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>
/// --mix: the percent of unary operations that are shower sessions (a hold at a shower terminal, then its settle, or a
/// few times its release) and e-wallet payments to a payee, instead of canteen debits. Written "holds=10,payments=5";
/// a name left out is 0.
/// </summary>
public sealed record OperationMix(double HoldPercent, double PaymentPercent)
{
    public static readonly OperationMix None = new(0, 0);

    public const string Syntax = "holds=P,payments=P";

    public bool IsEmpty => HoldPercent == 0 && PaymentPercent == 0;

    public double Percent => HoldPercent + PaymentPercent;

    /// <summary>The mix the text names, or null with what is wrong with it.</summary>
    public static OperationMix? Parse(string text, out string? problem)
    {
        var mix = None;
        problem = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent is < 0 or > 100)
            {
                problem = $"--mix: '{part}' is not name=percent (0..100)";
                return null;
            }
            switch (pair[0])
            {
                case "holds":
                    mix = mix with { HoldPercent = percent };
                    break;
                case "payments":
                    mix = mix with { PaymentPercent = percent };
                    break;
                default:
                    problem = $"--mix: '{pair[0]}' is not holds or payments";
                    return null;
            }
        }
        return mix;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"holds={HoldPercent},payments={PaymentPercent}");
}
