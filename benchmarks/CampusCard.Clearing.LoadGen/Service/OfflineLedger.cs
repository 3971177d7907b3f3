namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>
/// What the offline terminals were answered: per terminal the records acknowledged as recorded (by the upload that
/// first got an answer for them) and their amounts, the records never acknowledged, and the cards used in each campus.
/// </summary>
public sealed class OfflineLedger(int terminals, int accounts, int campuses, long firstSeq)
{
    private readonly long[] _records = new long[terminals];
    private readonly long[] _amountFen = new long[terminals];
    private readonly long[] _unacknowledged = new long[terminals];
    private readonly TouchedAccounts _touched = new(campuses, accounts);

    /// <summary>Every terminal's sequence numbers of this run start here: earlier runs' records have lower ones.</summary>
    public long FirstSeq => firstSeq;

    public void Touch(LoadCampus campus, int account) => _touched.Touch(campus, account);

    public void Recorded(int terminal, long amountFen)
    {
        _records[terminal]++;
        _amountFen[terminal] += amountFen;
    }

    public void Unacknowledged(int terminal, long records) => _unacknowledged[terminal] = records;

    public long Records(int terminal) => _records[terminal];

    public long AmountFen(int terminal) => _amountFen[terminal];

    public long UnacknowledgedRecords => _unacknowledged.Sum();

    public int[] TouchedAccounts(LoadCampus campus) => _touched.Of(campus);
}
