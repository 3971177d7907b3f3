using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>Every approved transaction id the terminals were answered with, and the accounts they touched: what verification checks.</summary>
public sealed class ServiceLedger(int terminals, int accounts)
{
    private readonly List<long>[] _debits = NewLists<long>(terminals);
    private readonly List<long>[] _reversals = NewLists<long>(terminals);
    private readonly List<(TransactionKind Kind, long Id)>[] _mixed = NewLists<(TransactionKind, long)>(terminals);
    private readonly bool[] _touched = new bool[accounts];
    private readonly bool[] _wallets = new bool[accounts];

    public void Touch(int account) => _touched[account] = true;

    /// <summary>A payment was made from the account's e-wallet.</summary>
    public void TouchWallet(int account) => _wallets[account] = true;

    public void ApprovedDebit(int terminal, long transactionId) => _debits[terminal].Add(transactionId);

    public void ApprovedReversal(int terminal, long transactionId) => _reversals[terminal].Add(transactionId);

    /// <summary>An approved hold, settle, release or payment of the --mix.</summary>
    public void ApprovedMixed(int terminal, TransactionKind kind, long transactionId) => _mixed[terminal].Add((kind, transactionId));

    public long[] Debits => _debits.SelectMany(l => l).ToArray();

    public long[] Reversals => _reversals.SelectMany(l => l).ToArray();

    public ILookup<TransactionKind, long> Mixed => _mixed.SelectMany(l => l).ToLookup(m => m.Kind, m => m.Id);

    public int[] TouchedAccounts => Enumerable.Range(0, _touched.Length).Where(a => _touched[a]).ToArray();

    public int[] TouchedWallets => Enumerable.Range(0, _wallets.Length).Where(a => _wallets[a]).ToArray();

    private static List<T>[] NewLists<T>(int count) => Enumerable.Range(0, count).Select(_ => new List<T>(4_096)).ToArray();
}
