namespace CampusCard.Clearing.LoadGen.Workload;

/// <summary>A debit a terminal made: what a later reversal or retry of it needs.</summary>
public abstract class Swipe
{
    public required int Account { get; init; }
    public bool Approved { get; set; }
    public bool Reversed { get; set; }

    /// <summary>The round (a call, or a batch) that last picked it: a round uses a swipe at most once.</summary>
    public long PickedInRound { get; set; } = -1;
}

/// <summary>A terminal's most recent debits, in a ring, to pick reversals and retries from.</summary>
public sealed class SwipeHistory<T>(int capacity) where T : Swipe
{
    private const int Probes = 8;
    private readonly T[] _ring = new T[capacity];
    private long _added;

    public void Add(T swipe) => _ring[_added++ % _ring.Length] = swipe;

    public bool TryPickToRetry(Random random, long round, out T swipe) => TryPick(random, round, reversible: false, out swipe);

    /// <summary>An approved debit not reversed yet; marked reversed at once so no one picks it again.</summary>
    public bool TryPickToReverse(Random random, long round, out T swipe)
    {
        if (!TryPick(random, round, reversible: true, out swipe)) return false;
        swipe.Reversed = true;
        return true;
    }

    private bool TryPick(Random random, long round, bool reversible, out T swipe)
    {
        var filled = (int)Math.Min(_added, _ring.Length);
        for (var probe = 0; filled > 0 && probe < Probes; probe++)
        {
            swipe = _ring[random.Next(filled)];
            if (swipe.PickedInRound == round || (reversible && (!swipe.Approved || swipe.Reversed))) continue;
            swipe.PickedInRound = round;
            return true;
        }
        swipe = null!;
        return false;
    }
}
