namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>Every approved transaction id the terminals were answered with, and the accounts they touched: what verification checks.</summary>
public sealed class ServiceLedger(int terminals, int accounts)
{
    private readonly List<long>[] _debits = NewLists(terminals);
    private readonly List<long>[] _reversals = NewLists(terminals);
    private readonly bool[] _touched = new bool[accounts];

    public void Touch(int account) => _touched[account] = true;

    public void ApprovedDebit(int terminal, long transactionId) => _debits[terminal].Add(transactionId);

    public void ApprovedReversal(int terminal, long transactionId) => _reversals[terminal].Add(transactionId);

    public long[] Debits => _debits.SelectMany(l => l).ToArray();

    public long[] Reversals => _reversals.SelectMany(l => l).ToArray();

    public int[] TouchedAccounts => Enumerable.Range(0, _touched.Length).Where(a => _touched[a]).ToArray();

    private static List<long>[] NewLists(int count) => Enumerable.Range(0, count).Select(_ => new List<long>(4_096)).ToArray();
}
