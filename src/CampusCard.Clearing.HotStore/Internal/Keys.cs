using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The key layout. Everything of one person shares the hash tag {p:&lt;person no&gt;} (a card nobody holds:
/// {c:&lt;card no&gt;}), so Redis Cluster keeps a holder in one slot and a transfer between one person's accounts
/// never crosses slots. The tag comes from the number the request names, not from a lookup, so a request for a
/// person that has no account yet and its retry after the account was opened meet the same record.
/// </summary>
internal sealed class Keys(string prefix)
{
    /// <summary>
    /// The hot state's format (<see cref="Layouts"/>). The sequence's name carries it, so a store written in another
    /// format has no sequence here and the engine rebuilds it from the journal at start, after journaling its
    /// outbox (whose entries carry their own format versions).
    /// </summary>
    public const int Format = 6;

    public string Prefix { get; } = prefix;
    public string Sequence { get; } = $"{prefix}seq:v{Format}";
    public string Rebuilding { get; } = $"{prefix}rebuilding:v{Format}";
    public string Outbox { get; } = prefix + "outbox";

    public static string Tag(HotTarget target) =>
        target.PersonNo.Length > 0 ? "p:" + target.PersonNo : target.MerchantId.Length > 0 ? "m:" + target.MerchantId : "c:" + target.UnknownCardNo;

    public string Holder(string tag) => $"{Prefix}{{{tag}}}";

    public string HolderOf(string personNo) => Holder("p:" + personNo);

    public string Record(string tag, string scope, string requestId) => $"{Prefix}{{{tag}}}:r:{scope}|{requestId}";

    /// <summary>A card number to its holder. Not under the holder's tag (a card is looked up before its holder is known).</summary>
    public string Card(string cardNo) => $"{Prefix}card:{cardNo}";
}
