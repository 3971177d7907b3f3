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

    /// <summary>
    /// What a terminal does for the wanted action: reverse or retry an earlier swipe when one can be
    /// picked in this round (a reversed swipe is marked at once, so no one picks it again), else a new debit.
    /// </summary>
    public (SwipeAction Action, T? Earlier) Choose(SwipeAction wanted, Random random, long round)
    {
        var reversing = wanted == SwipeAction.Reverse;
        if (wanted == SwipeAction.Debit || !TryPick(random, round, reversing, out var earlier)) return (SwipeAction.Debit, null);
        if (reversing) earlier.Reversed = true;
        return (wanted, earlier);
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
