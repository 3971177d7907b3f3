namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The key layout. Everything of one holder shares the hash tag {h&lt;id&gt;}, so Redis Cluster keeps a
/// holder in one slot and a transfer between one person's accounts never crosses slots.
/// </summary>
internal sealed class Keys(string prefix)
{
    public string Prefix { get; } = prefix;
    public string Sequence { get; } = prefix + "seq";
    public string Outbox { get; } = prefix + "outbox";

    public string Holder(long holderId) => $"{Prefix}{{h{holderId}}}";
    public string Record(long holderId, string requestId) => $"{Prefix}{{h{holderId}}}:r:{requestId}";
}
