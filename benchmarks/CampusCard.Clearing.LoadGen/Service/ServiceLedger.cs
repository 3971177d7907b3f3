using CampusCard.Clearing.Domain;

namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>Every approved transaction id each terminal was answered with, and the accounts of each campus the terminals touched: what verification checks.</summary>
public sealed class ServiceLedger(int terminals, int accounts, int campuses)
{
    private readonly List<long>[] _debits = NewLists<long>(terminals);
    private readonly List<long>[] _reversals = NewLists<long>(terminals);
    private readonly List<(TransactionKind Kind, long Id)>[] _mixed = NewLists<(TransactionKind, long)>(terminals);
    private readonly TouchedAccounts _touched = new(campuses, accounts);
    private readonly TouchedAccounts _wallets = new(campuses, accounts);

    public void Touch(LoadCampus campus, int account) => _touched.Touch(campus, account);

    /// <summary>A payment was made from the account's e-wallet.</summary>
    public void TouchWallet(LoadCampus campus, int account) => _wallets.Touch(campus, account);

    public void ApprovedDebit(int terminal, long transactionId) => _debits[terminal].Add(transactionId);

    public void ApprovedReversal(int terminal, long transactionId) => _reversals[terminal].Add(transactionId);

    /// <summary>An approved hold, settle, release or payment of the --mix.</summary>
    public void ApprovedMixed(int terminal, TransactionKind kind, long transactionId) => _mixed[terminal].Add((kind, transactionId));

    public long[] Debits(IEnumerable<int> ofTerminals) => ofTerminals.SelectMany(t => _debits[t]).ToArray();

    public long[] Reversals(IEnumerable<int> ofTerminals) => ofTerminals.SelectMany(t => _reversals[t]).ToArray();

    public ILookup<TransactionKind, long> Mixed(IEnumerable<int> ofTerminals) => ofTerminals.SelectMany(t => _mixed[t]).ToLookup(m => m.Kind, m => m.Id);

    public int[] TouchedAccounts(LoadCampus campus) => _touched.Of(campus);

    public int[] TouchedWallets(LoadCampus campus) => _wallets.Of(campus);

    private static List<T>[] NewLists<T>(int count) => Enumerable.Range(0, count).Select(_ => new List<T>(4_096)).ToArray();
}
