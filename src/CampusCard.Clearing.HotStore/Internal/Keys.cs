namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The key layout. Everything of one holder shares the hash tag {h&lt;id&gt;}, so Redis Cluster keeps a
/// holder in one slot and a transfer between one person's accounts never crosses slots.
/// </summary>
internal sealed class Keys(string prefix)
{
    /// <summary>
    /// The hot state's format (2: a holder is a packed <see cref="HolderValue"/>). The sequence's name
    /// carries it, so a store written in another format has no sequence here and the engine rebuilds it
    /// from the journal at start, after journaling its outbox (whose entries every format shares).
    /// </summary>
    public const int Format = 2;

    public string Prefix { get; } = prefix;
    public string Sequence { get; } = $"{prefix}seq:v{Format}";
    public string Outbox { get; } = prefix + "outbox";

    public string Holder(long holderId) => $"{Prefix}{{h{holderId}}}";
    public string Record(long holderId, string requestId) => $"{Prefix}{{h{holderId}}}:r:{requestId}";
}
