namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>
/// A shower (水控) session of the --mix: the terminal holds the most a session may cost, then settles what the water
/// cost, less than the hold; a few sessions end without water and release the hold whole.
/// </summary>
public static class ShowerSession
{
    public const long HoldFen = 1_000;
    public const long MinCostFen = 50;
    public const long TtlSeconds = 900;
    public const int ReleasePercent = 3;

    /// <summary>Bathhouses BATH-1..n, each with shower terminals.</summary>
    public const int Bathhouses = 2;

    public static long NextCost(Random random) => random.NextInt64(MinCostFen, HoldFen);

    public static bool EndsUnused(Random random) => random.Next(100) < ReleasePercent;
}
