namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>
/// Draws 0..n-1 with probability proportional to 1/(rank+1)^s, by binary search in a precomputed CDF.
/// Ranks are shuffled onto items with the run's seed, so which cards are hot changes between runs
/// (a card drained by one run is not the hottest of the next).
/// </summary>
public sealed class ZipfSampler
{
    private readonly double[] _cdf;
    private readonly int[] _itemOfRank;
    private readonly int[] _rankOfItem;

    public ZipfSampler(int n, double exponent, Random shuffle)
    {
        _cdf = new double[n];
        var sum = 0.0;
        for (var rank = 0; rank < n; rank++) _cdf[rank] = sum += 1.0 / Math.Pow(rank + 1, exponent);
        for (var rank = 0; rank < n; rank++) _cdf[rank] /= sum;
        _cdf[n - 1] = 1.0;
        _itemOfRank = new int[n];
        for (var i = 0; i < n; i++) _itemOfRank[i] = i;
        shuffle.Shuffle(_itemOfRank);
        _rankOfItem = new int[n];
        for (var rank = 0; rank < n; rank++) _rankOfItem[_itemOfRank[rank]] = rank;
    }

    /// <summary>The share of draws that the most popular item gets.</summary>
    public double TopShare => _cdf[0];

    /// <summary>The share of draws that go to <paramref name="item"/>.</summary>
    public double ShareOf(int item)
    {
        var rank = _rankOfItem[item];
        return rank == 0 ? _cdf[0] : _cdf[rank] - _cdf[rank - 1];
    }

    public int Next(Random random)
    {
        var rank = Array.BinarySearch(_cdf, random.NextDouble());
        return _itemOfRank[rank < 0 ? ~rank : rank];
    }
}
