using CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Tests.Model;

/// <summary>
/// What the engine should answer, computed in memory from DESIGN.md's rules and the seeds': balances, card states,
/// the PIN and limits (one business day), the first answer of every request id, which debits were reversed, and
/// tombstones of early reversals. Request ids are scoped as the engine scopes them: by the card a terminal names.
/// </summary>
public sealed class PurseModel(ModelRules rules)
{
    private readonly Dictionary<(string Scope, string RequestId), object> _answers = [];
    private readonly Dictionary<(string, string), (bool Approved, long Amount, int Merchant, bool Reversed)> _debits = [];
    private readonly HashSet<(string, string)> _tombstones = [];
    private readonly HashSet<(string, string)> _reversals = [];
    private readonly Holder[] _holders = Enumerable.Range(0, Op.Holders).Select(_ => new Holder()).ToArray();

    public long Purse(int holder) => _holders[holder].Purse;

    public long Wallet(int holder) => _holders[holder].Wallet;

    public bool TryFirstAnswer(string scope, string requestId, out object? answer) => _answers.TryGetValue((scope, requestId), out answer);

    public void Remember(string scope, string requestId, object answer) => _answers[(scope, requestId)] = answer;

    public string? TakeTombstone(string cardNo)
    {
        var t = _tombstones.FirstOrDefault(t => t.Item1 == cardNo && !_debits.ContainsKey(t));
        return t == default ? null : t.Item2;
    }

    public void Issued(int holder, string cardNo) => _holders[holder].Card = cardNo;

    public (Outcome, DeclineReason) Fund(int holder, long amount, bool allowed)
    {
        var h = _holders[holder];
        if (!allowed) return (Outcome.Declined, DeclineReason.AmountOutOfRange);
        if (h.Closed) return (Outcome.Declined, DeclineReason.AccountClosed);
        h.Purse += amount;
        return (Outcome.Approved, DeclineReason.Unspecified);
    }

    public (Outcome, DeclineReason) Debit(int holder, string cardNo, string requestId, long amount, int merchant, bool? rightPin)
    {
        var h = _holders[holder];
        if (_tombstones.Contains((cardNo, requestId)))
        {
            _debits[(cardNo, requestId)] = (false, 0, merchant, true);
            return (Outcome.Declined, DeclineReason.ReversedBeforeArrival);
        }
        var reason = cardNo != h.Card ? DeclineReason.CardReplaced
            : h.Closed ? DeclineReason.CardClosed
            : h.Lost ? DeclineReason.CardLost
            : h.Frozen ? DeclineReason.CardFrozen
            : h.Purse < amount ? DeclineReason.InsufficientFunds
            : amount > rules.SingleLimitFen || h.DaySpent + amount > rules.DailyLimitFen ? Pin(h, rightPin)
            : DeclineReason.Unspecified;
        var approved = reason == DeclineReason.Unspecified;
        if (approved)
        {
            h.Purse -= amount;
            h.DaySpent += amount;
        }
        _debits[(cardNo, requestId)] = (approved, amount, merchant, false);
        return (approved ? Outcome.Approved : Outcome.Declined, reason);
    }

    /// <summary>一密两限: the PIN is asked for, counted and locked only over a limit.</summary>
    private DeclineReason Pin(Holder h, bool? right)
    {
        if (h.PinFails >= rules.PinAttempts) return DeclineReason.PinLocked;
        if (right is null) return DeclineReason.PinRequired;
        if (right == false)
        {
            h.PinFails++;
            return DeclineReason.WrongPin;
        }
        h.PinFails = 0;
        return DeclineReason.Unspecified;
    }

    public (Outcome, DeclineReason) Transfer(int holder, long amount, bool toWallet)
    {
        var h = _holders[holder];
        if (h.Closed) return (Outcome.Declined, DeclineReason.AccountClosed);
        var available = toWallet ? h.Purse : h.Wallet;
        if (available < amount) return (Outcome.Declined, DeclineReason.InsufficientFunds);
        h.Purse += toWallet ? -amount : amount;
        h.Wallet += toWallet ? amount : -amount;
        return (Outcome.Approved, DeclineReason.Unspecified);
    }

    /// <summary>
    /// A reversal by a terminal of <paramref name="merchant"/>. It names the card, so it finds only what was done with
    /// the card (debits and reversals); a person's top-ups and transfers are in another scope.
    /// </summary>
    public (Outcome, DeclineReason, ReversalEffect, long) Reverse(int holder, string cardNo, string requestId, string originalId, int merchant)
    {
        var key = (cardNo, originalId);
        _reversals.Add((cardNo, requestId));
        if (_debits.TryGetValue(key, out var debit))
        {
            if (debit.Reversed) return (Outcome.Declined, DeclineReason.AlreadyReversed, ReversalEffect.Unspecified, 0);
            if (debit.Merchant != merchant) return (Outcome.Declined, DeclineReason.OtherMerchant, ReversalEffect.Unspecified, 0);
            _debits[key] = debit with { Reversed = true };
            if (!debit.Approved) return (Outcome.Approved, DeclineReason.Unspecified, ReversalEffect.NothingToReverse, 0);
            _holders[holder].Purse += debit.Amount;
            _holders[holder].DaySpent -= debit.Amount;
            return (Outcome.Approved, DeclineReason.Unspecified, ReversalEffect.Refunded, debit.Amount);
        }
        if (_tombstones.Contains(key)) return (Outcome.Declined, DeclineReason.AlreadyReversed, ReversalEffect.Unspecified, 0);
        if (_reversals.Contains(key)) return (Outcome.Declined, DeclineReason.NotReversible, ReversalEffect.Unspecified, 0);
        _tombstones.Add(key);
        return (Outcome.Approved, DeclineReason.Unspecified, ReversalEffect.OriginalUnknown, 0);
    }

    /// <summary>The card office's changes by person number (handbook ch. 4, art. 12-15, 19).</summary>
    public (Outcome, DeclineReason, CardState, long) Change(int holder, OpKind kind)
    {
        var h = _holders[holder];
        var moved = 0L;
        var reason = h.Closed ? DeclineReason.AccountClosed : kind switch
        {
            OpKind.ReportLoss when h.Lost => DeclineReason.CardLost,
            OpKind.CancelLoss when !h.Lost => DeclineReason.NotLost,
            OpKind.Freeze when h.Frozen => DeclineReason.CardFrozen,
            OpKind.Unfreeze when !h.Frozen => DeclineReason.NotFrozen,
            OpKind.Replace when h.Purse < Math.Max(rules.ReplacementFeeFen, rules.ReplacementMinimumFen) => DeclineReason.BalanceTooLow,
            OpKind.Close when h.Wallet != 0 => DeclineReason.BalanceElsewhere,
            _ => DeclineReason.Unspecified,
        };
        if (reason == DeclineReason.Unspecified)
        {
            switch (kind)
            {
                case OpKind.ReportLoss or OpKind.CancelLoss:
                    h.Lost = kind == OpKind.ReportLoss;
                    break;
                case OpKind.Freeze or OpKind.Unfreeze:
                    h.Frozen = kind == OpKind.Freeze;
                    break;
                case OpKind.Replace:
                    (moved, h.Lost) = (rules.ReplacementFeeFen, false);
                    h.Purse -= moved;
                    break;
                case OpKind.Close:
                    (moved, h.Closed) = (h.Purse, true);
                    h.Purse = 0;
                    break;
            }
        }
        var state = h.Closed ? CardState.Closed : h.Lost ? CardState.Lost : h.Frozen ? CardState.Frozen : CardState.Active;
        return (reason == DeclineReason.Unspecified ? Outcome.Approved : Outcome.Declined, reason, state, moved);
    }

    private sealed class Holder
    {
        public string Card = "";
        public long Purse;
        public long Wallet;
        public long DaySpent;
        public int PinFails;
        public bool Lost;
        public bool Frozen;
        public bool Closed;
    }
}

/// <summary>The card rules the model-based tests configure the service with.</summary>
public sealed record ModelRules(long SingleLimitFen, long DailyLimitFen, int PinAttempts, long ReplacementFeeFen, long ReplacementMinimumFen);
