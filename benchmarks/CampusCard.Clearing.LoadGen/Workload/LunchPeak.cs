namespace CampusCard.Clearing.LoadGen.Workload;

public enum SwipeAction { Debit, Reverse, Retry }

/// <summary>The workload every mode runs: which card, which canteen, how much, and what kind of request.</summary>
public sealed class LunchPeak(LoadOptions options)
{
    public const long MinAmountFen = 300;
    public const long MaxAmountFen = 2_500;

    /// <summary>A debit rate above what one service instance reaches here, so that no card is drained within a run.</summary>
    private const double PlannedDebitsPerSecond = 50_000;

    private readonly double _reverseBelow = options.ReversalPercent / 100;
    private readonly double _retryBelow = (options.ReversalPercent + options.RetryPercent) / 100;

    public ZipfSampler Cards { get; } = new(options.Accounts, options.ZipfExponent, new Random(options.Seed));
    public ZipfSampler Canteens { get; } = new(options.Merchants, options.ZipfExponent, new Random(options.Seed + 1));

    /// <summary>
    /// What each purse should hold before the run: --balance, or more for a hot card, enough for its share of every debit
    /// this invocation could make at the planned rate, so that declines stay rare even under Zipf skew.
    /// </summary>
    public long[] PurseTargets()
    {
        var modes = options.Modes.Count(m => m != LoadMode.Baseline);
        var perMode = options.Count ?? options.DurationSeconds * PlannedDebitsPerSecond;
        var debits = Math.Max(1, modes) * (perMode + options.WarmupSeconds * PlannedDebitsPerSecond);
        var targets = new long[options.Accounts];
        for (var account = 0; account < targets.Length; account++)
            targets[account] = Math.Max(options.BalanceFen, (long)(Cards.ShareOf(account) * debits * MaxAmountFen));
        return targets;
    }

    public Random RandomFor(int terminal) => new(unchecked(options.Seed * 1_000_003 + terminal));

    public SwipeAction NextAction(Random random)
    {
        var roll = random.NextDouble();
        return roll < _reverseBelow ? SwipeAction.Reverse : roll < _retryBelow ? SwipeAction.Retry : SwipeAction.Debit;
    }

    public static long NextAmount(Random random) => random.NextInt64(MinAmountFen, MaxAmountFen + 1);
}
