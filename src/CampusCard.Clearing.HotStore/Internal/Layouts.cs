using CampusCard.Clearing.Domain.Formats;

namespace CampusCard.Clearing.HotStore.Internal;

/// <summary>
/// The hot state's formats. What Redis keeps is compact (<see cref="Packing.Compact"/>): the holder (the domain's
/// <see cref="HolderFormat.Hot"/>) and the idempotency record; the request, sent with every decide and never kept, is fixed.
/// </summary>
internal static class Layouts
{
    /// <summary>
    /// What the engine sends for each request: its kind and content resolved to numbers. card is the fingerprint of the
    /// card presented or issued; term_a and term_b are what configuration set for it (<see cref="Domain.Terms"/>); holder is the id the registry gave
    /// a new account; ref the kind's reference number (<see cref="Domain.ClearingRequest.Ref"/>), occurred an offline record's time;
    /// pin and id_check the service's verdicts on the PIN (or payment password) and the ID number sent.
    /// </summary>
    public static readonly Layout Request = new("request", 6,
        "kind", "fp", "amount", "pre", "card", "merchant", "direction", "known", "code", "flag", "limit", "pin", "term_a", "term_b", "holder",
        "ref", "occurred", "id_check");

    public static readonly Layout Holder = HolderFormat.Hot;

    /// <summary>
    /// An idempotency record (and the decision half of an outbox entry, followed there by the holder when the decision
    /// changed more than its balances). rv is the id of the reversal that reversed it; a tombstone (kind 0) is a
    /// reversal that came before its original, rv its id; a settled or released hold and a recalled subsidy are closed the
    /// same way. state is the card state after the decision; held the open holds after it; side what moved on the side
    /// legs; deadline a hold's (unix ms); undone what refunds took back of a payment; code the request's (a payment's source).
    /// Version 6 is version 5 packed compact.
    /// </summary>
    public static readonly Layout Record = new("record", 6, Packing.Compact,
        "kind", "fp", "outcome", "reason", "txn", "holder", "purse", "wallet", "pending", "effect", "moved", "ts", "merchant", "day", "rv", "state",
        "held", "side", "deadline", "undone", "code");

    public static readonly Layout[] All = [Request, Holder, Record];
}
