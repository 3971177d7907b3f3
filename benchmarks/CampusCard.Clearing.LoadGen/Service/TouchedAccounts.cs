namespace CampusCard.Clearing.LoadGen.Service;

/// <summary>Which accounts of each campus were used, by account index.</summary>
public sealed class TouchedAccounts(int campuses, int accounts)
{
    private readonly bool[][] _touched = Enumerable.Range(0, campuses).Select(_ => new bool[accounts]).ToArray();

    public void Touch(LoadCampus campus, int account) => _touched[campus.Index][account] = true;

    public int[] Of(LoadCampus campus) => Enumerable.Range(0, accounts).Where(a => _touched[campus.Index][a]).ToArray();
}
