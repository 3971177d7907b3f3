using CampusCard.Clearing.Domain.Formats;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>The hot state's formats (version 4); the holder's is the domain's (<see cref="HolderFormat"/>).</summary>
internal static class Layouts
{
    /// <summary>
    /// What the engine sends for each request: its kind and content resolved to numbers. card is the fingerprint of the
    /// card presented or issued; term_a and term_b are what configuration set for it (<see cref="Domain.Terms"/>); holder is the id the registry gave
    /// a new account.
    /// </summary>
    public static readonly Layout Request = new("request", 4,
        "kind", "fp", "amount", "pre", "card", "merchant", "direction", "known", "code", "flag", "limit", "pin", "term_a", "term_b", "holder");

    public static readonly Layout Holder = HolderFormat.Layout;

    /// <summary>
    /// An idempotency record (and the decision half of an outbox entry, followed there by the holder when the decision
    /// changed more than its balances). rv is the id of the reversal that reversed it; a tombstone (kind 0) is a
    /// reversal that came before its original, rv its id. state is the card state after the decision.
    /// </summary>
    public static readonly Layout Record = new("record", 4,
        "kind", "fp", "outcome", "reason", "txn", "holder", "purse", "wallet", "pending", "effect", "moved", "ts", "merchant", "day", "rv", "state");

    public static readonly Layout[] All = [Request, Holder, Record];
}
