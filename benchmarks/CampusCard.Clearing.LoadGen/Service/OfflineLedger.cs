namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// What the offline terminals were answered: per terminal the records acknowledged as recorded (by the upload that
/// first got an answer for them) and their amounts, the records never acknowledged, and the cards used.
/// </summary>
public sealed class OfflineLedger(int terminals, int accounts, long firstSeq)
{
    private readonly long[] _records = new long[terminals];
    private readonly long[] _amountFen = new long[terminals];
    private readonly long[] _unacknowledged = new long[terminals];
    private readonly bool[] _touched = new bool[accounts];

    /// <summary>Every terminal's sequence numbers of this run start here: earlier runs' records have lower ones.</summary>
    public long FirstSeq => firstSeq;

    public void Touch(int account) => _touched[account] = true;

    public void Recorded(int terminal, long amountFen)
    {
        _records[terminal]++;
        _amountFen[terminal] += amountFen;
    }

    public void Unacknowledged(int terminal, long records) => _unacknowledged[terminal] = records;

    public long Records(int terminal) => _records[terminal];

    public long AmountFen(int terminal) => _amountFen[terminal];

    public long UnacknowledgedRecords => _unacknowledged.Sum();

    public int[] TouchedAccounts => Enumerable.Range(0, _touched.Length).Where(a => _touched[a]).ToArray();
}
