using CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Tests.Model;

/// <summary>
/// What the engine should answer, computed in memory from DESIGN.md's rules: balances, the first
/// answer of every request id, which debits were reversed, and tombstones of early reversals.
/// </summary>
public sealed class PurseModel
{
    private readonly Dictionary<(int Holder, string RequestId), object> _answers = [];
    private readonly Dictionary<(int, string), (bool Approved, long Amount, int Merchant, bool Reversed)> _debits = [];
    private readonly HashSet<(int, string)> _tombstones = [];
    private readonly HashSet<(int, string)> _reversals = [];

    public long[] Purse { get; } = new long[Op.Holders];
    public long[] Wallet { get; } = new long[Op.Holders];

    public bool TryFirstAnswer(int holder, string requestId, out object? answer) => _answers.TryGetValue((holder, requestId), out answer);

    public void Remember(int holder, string requestId, object answer) => _answers[(holder, requestId)] = answer;

    public string? TakeTombstone(int holder)
    {
        var t = _tombstones.FirstOrDefault(t => t.Item1 == holder && !_debits.ContainsKey(t));
        return t == default ? null : t.Item2;
    }

    public (Outcome, DeclineReason) Fund(int holder, long amount, bool allowed)
    {
        if (!allowed) return (Outcome.Declined, DeclineReason.AmountOutOfRange);
        Purse[holder] += amount;
        return (Outcome.Approved, DeclineReason.Unspecified);
    }

    public (Outcome, DeclineReason) Debit(int holder, string requestId, long amount, int merchant)
    {
        if (_tombstones.Contains((holder, requestId)))
        {
            _debits[(holder, requestId)] = (false, 0, merchant, true);
            return (Outcome.Declined, DeclineReason.ReversedBeforeArrival);
        }
        var reason = Purse[holder] < amount ? DeclineReason.InsufficientFunds : DeclineReason.Unspecified;
        var approved = reason == DeclineReason.Unspecified;
        if (approved) Purse[holder] -= amount;
        _debits[(holder, requestId)] = (approved, amount, merchant, false);
        return (approved ? Outcome.Approved : Outcome.Declined, reason);
    }

    public (Outcome, DeclineReason) Transfer(int holder, long amount, bool toWallet)
    {
        var (from, to) = toWallet ? (Purse, Wallet) : (Wallet, Purse);
        if (from[holder] < amount) return (Outcome.Declined, DeclineReason.InsufficientFunds);
        from[holder] -= amount;
        to[holder] += amount;
        return (Outcome.Approved, DeclineReason.Unspecified);
    }

    /// <summary>
    /// A reversal by a terminal of <paramref name="merchant"/>. It names the card, so it finds only what was done with
    /// the card (debits and reversals); a person's top-ups and transfers are in another scope.
    /// </summary>
    public (Outcome, DeclineReason, ReversalEffect, long) Reverse(int holder, string requestId, string originalId, int merchant)
    {
        var key = (holder, originalId);
        _reversals.Add((holder, requestId));
        if (_debits.TryGetValue(key, out var debit))
        {
            if (debit.Reversed) return (Outcome.Declined, DeclineReason.AlreadyReversed, ReversalEffect.Unspecified, 0);
            if (debit.Merchant != merchant) return (Outcome.Declined, DeclineReason.OtherMerchant, ReversalEffect.Unspecified, 0);
            _debits[key] = debit with { Reversed = true };
            if (!debit.Approved) return (Outcome.Approved, DeclineReason.Unspecified, ReversalEffect.NothingToReverse, 0);
            Purse[holder] += debit.Amount;
            return (Outcome.Approved, DeclineReason.Unspecified, ReversalEffect.Refunded, debit.Amount);
        }
        if (_tombstones.Contains(key)) return (Outcome.Declined, DeclineReason.AlreadyReversed, ReversalEffect.Unspecified, 0);
        if (_reversals.Contains(key)) return (Outcome.Declined, DeclineReason.NotReversible, ReversalEffect.Unspecified, 0);
        _tombstones.Add(key);
        return (Outcome.Approved, DeclineReason.Unspecified, ReversalEffect.OriginalUnknown, 0);
    }
}
