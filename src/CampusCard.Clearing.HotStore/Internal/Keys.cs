using CampusCard.Clearing.Domain;
using CampusCard.Clearing.Domain.Ports;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The key layout. Every key of a partition (<see cref="Partitioning"/>) starts with the prefix and the partition's hash
/// tag, {prefix + partition}, so Redis Cluster keeps a partition in one slot and one FCALL may touch all of it: its
/// sequence, its outbox, its rebuild marker, its holders and their idempotency records. A holder's tag comes from the
/// number the request names, not from a lookup, so a request for a person that has no account yet and its retry after
/// the account was opened meet the same record. The card index is the one thing outside the partitions: a card is
/// looked up before its holder, and so its partition, is known.
/// </summary>
internal sealed class Keys(string prefix)
{
    /// <summary>
    /// The hot state's format (<see cref="Layouts"/>). The sequences' names carry it, so a store written in another
    /// format has no sequence here and the engine rebuilds it from the journal at start, after journaling its outbox
    /// (whose entries carry their own format versions). Version 7: partitions. Version 8: compact holders and records,
    /// the card index in hashes. Campuses left it as it was: the default campus's tags and card numbers are those before
    /// campuses, another campus's carry its number (<see cref="Campuses.Qualify"/>).
    /// </summary>
    public const int Format = 8;

    /// <summary>How many hashes the card index is spread over (<see cref="Card"/>).</summary>
    public const int CardIndexHashes = 4096;

    public string Prefix { get; } = prefix;

    /// <summary>The format the hot state under this prefix was last made in (<see cref="Format"/>; none before version 8).</summary>
    public string StoredFormat { get; } = prefix + "format";

    /// <summary>Format 7's card index, a key per card: removed when the store becomes format 8.</summary>
    public string Format7Cards { get; } = prefix + "card:*";

    /// <summary>How many partitions the hot state under this prefix was made with (not a partition's: read on its own).</summary>
    public string Partitions { get; } = prefix + "partitions";

    /// <summary>Over how many journal databases the partitions of the hot state under this prefix were laid out (none: one; <see cref="JournalPlacement"/>).</summary>
    public string JournalDatabases { get; } = prefix + "journal-databases";

    /// <summary>The partition's hash tag and the prefix: the start of every key of the partition.</summary>
    public string Of(int partition) => $"{Prefix}{{{partition}}}";

    public string Sequence(int partition) => $"{Of(partition)}seq:v{Format}";

    public string Rebuilding(int partition) => $"{Of(partition)}rebuilding:v{Format}";

    /// <summary>A partition's outbox; <see cref="Domain.Ports.OutboxBatch.PreviousRelease"/>'s is the one outbox of the releases before partitions.</summary>
    public string Outbox(int partition) => partition == OutboxBatch.PreviousRelease ? Prefix + "outbox" : Of(partition) + "outbox";

    public string Holder(int partition, string tag) => $"{Of(partition)}h:{tag}";

    public string Record(int partition, string scope, string requestId) => $"{Of(partition)}r:{scope}|{requestId}";

    /// <summary>
    /// A card number to its holder: a field of one of <see cref="CardIndexHashes"/> hashes, picked by the number's
    /// fingerprint (its upper bits, which every digit stirs). A campus's ~50,000 cards put a dozen in each, which Redis
    /// keeps as one small listpack: a card then takes ~30 bytes where a key of its own took ~110 (docs/performance.md,
    /// Redis memory). Up to ~500,000 cards a hash stays within Redis's listpack limit (hash-max-listpack-entries, 128).
    /// </summary>
    /// <param name="cardKey">The card's number within its campus (<see cref="Campuses.Qualify"/>).</param>
    public (string Key, string Field) Card(string cardKey) => ($"{Prefix}ci:{(CardNumbers.Fingerprint(cardKey) >> 40) % CardIndexHashes}", cardKey);

    /// <summary>A glob pattern of each kind of key a holder costs, to measure what each takes (the load generator's Redis memory report).</summary>
    public IReadOnlyList<(string Kind, string Pattern)> Kinds =>
        [("holder", $"{Prefix}{{*}}h:*"), ("record", $"{Prefix}{{*}}r:*"), ("card index", Prefix + "ci:*")];

    /// <summary>A pattern matching every key of every partition, whatever their count.</summary>
    public string AnyPartition => Prefix + "{*";

    /// <summary>A running instance's mark (<see cref="Presence"/>); <c>Instance("*")</c> is a pattern matching every one.</summary>
    public string Instance(string id) => $"{Prefix}instance:{id}";

    /// <summary>Held by the repartition command while it runs (<see cref="Presence"/>).</summary>
    public string Repartitioning { get; } = prefix + "repartitioning";

    /// <summary>What the last repartition did, kept for the next start to log once.</summary>
    public string Repartitioned { get; } = prefix + "repartitioned";
}
