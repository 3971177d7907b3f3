namespace CampusCard.Clearing.Domain;

/// <summary>
/// The reasons a card is frozen for, as a set: bit (reason - 1) for each <see cref="FreezeReason"/>. A card may be frozen
/// for several at once (an office freeze on a card frozen as overdrawn, art. 7 and 19); each lifts on its own, and the
/// card is active again when none is left. The hot state and the journal's holder_after keep the set (the Lua deciders
/// use the same bits: lib/card.lua).
/// </summary>
public readonly record struct FreezeReasons(long Mask)
{
    public static readonly FreezeReasons None = new(0);

    public static FreezeReasons Of(FreezeReason reason) => reason == FreezeReason.None ? None : new(1L << ((int)reason - 1));

    public bool IsEmpty => Mask == 0;

    public bool Contains(FreezeReason reason) => reason != FreezeReason.None && (Mask & Of(reason).Mask) != 0;

    public FreezeReasons With(FreezeReason reason) => new(Mask | Of(reason).Mask);

    /// <summary>Every reason in the set, in code order.</summary>
    public IReadOnlyList<FreezeReason> Reasons =>
        [.. Enum.GetValues<FreezeReason>().Where(Contains)];

    /// <summary>The first reason in code order, or None: what a client that shows one reason shows.</summary>
    public FreezeReason First => Reasons.Count == 0 ? FreezeReason.None : Reasons[0];

    public override string ToString() => IsEmpty ? "none" : string.Join("+", Reasons);
}
