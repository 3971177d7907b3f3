namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>
/// Which canteen each terminal stands in. A canteen gets its Zipf share of the terminals (largest remainder), so a
/// popular canteen has more of them and draws more swipes, as before terminals were tied to one canteen; the seed's
/// shuffle of the canteens decides which one is popular. Terminals come in blocks, most popular canteen first, so a
/// canteen's terminals are spread over the HTTP/2 connections (terminal i uses connection i mod n).
/// </summary>
public static class TerminalPlacement
{
    public static int[] Place(ZipfSampler canteens, int canteenCount, int terminals)
    {
        var quotas = Enumerable.Range(0, canteenCount).Select(c => canteens.ShareOf(c) * terminals).ToArray();
        var counts = quotas.Select(q => (int)Math.Floor(q)).ToArray();
        var left = terminals - counts.Sum();
        var byRemainder = Enumerable.Range(0, canteenCount).OrderByDescending(c => quotas[c] - counts[c]).ThenBy(c => c);
        foreach (var canteen in byRemainder.Take(left)) counts[canteen]++;

        var placement = new int[terminals];
        var next = 0;
        foreach (var canteen in Enumerable.Range(0, canteenCount).OrderByDescending(c => quotas[c]).ThenBy(c => c))
        {
            for (var k = 0; k < counts[canteen]; k++) placement[next++] = canteen;
        }
        return placement;
    }
}
