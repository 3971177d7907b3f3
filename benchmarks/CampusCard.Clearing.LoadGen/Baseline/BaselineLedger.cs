namespace CampusCard.Clearing.LoadGen.Baseline;

/// <summary>What the baseline's terminals were answered: approved request ids, and each purse's net movement.</summary>
public sealed class BaselineLedger(int terminals, int accounts)
{
    private readonly List<string>[] _debits = NewLists(terminals);
    private readonly List<string>[] _reversals = NewLists(terminals);
    private readonly long[] _netFen = new long[accounts];

    public void ApprovedDebit(int terminal, string requestId, int account, long amountFen)
    {
        _debits[terminal].Add(requestId);
        Interlocked.Add(ref _netFen[account], -amountFen);
    }

    public void ApprovedReversal(int terminal, string requestId, int account, long refundedFen)
    {
        _reversals[terminal].Add(requestId);
        Interlocked.Add(ref _netFen[account], refundedFen);
    }

    public string[] Debits => _debits.SelectMany(l => l).ToArray();

    public string[] Reversals => _reversals.SelectMany(l => l).ToArray();

    /// <summary>Approved debits taken away and refunds given back, per account.</summary>
    public long[] NetFen => (long[])_netFen.Clone();

    private static List<string>[] NewLists(int count) => Enumerable.Range(0, count).Select(_ => new List<string>(4_096)).ToArray();
}
