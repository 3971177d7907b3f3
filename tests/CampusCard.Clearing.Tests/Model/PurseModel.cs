using CampusCard.Clearing.Contracts.V1;

namespace CampusCard.Clearing.Tests.Model;

/// <summary>
/// What the engine should answer, computed in memory from docs/invariants.md and the seeds' rules: balances, card states,
/// the PIN and limits (one business day), the first answer of every request id, which debits were reversed, and
/// tombstones of early reversals; pending amounts and their claims, holds and their settles and releases, offline
/// records that overdraw (and the overdraft freeze they bring, lifted by the money that repays it). Request ids are
/// scoped as the engine scopes them: by the card a terminal names.
/// </summary>
public sealed class PurseModel(ModelRules rules)
{
    private readonly Dictionary<(string Scope, string RequestId), object> _answers = [];
    private readonly Dictionary<(string, string), (bool Approved, long Amount, int Merchant, bool Reversed)> _debits = [];
    private readonly HashSet<(string, string)> _tombstones = [];
    private readonly HashSet<(string, string)> _reversals = [];
    private readonly Dictionary<(string, string), (long Amount, int Merchant, bool Closed)> _holds = [];
    private readonly Holder[] _holders = Enumerable.Range(0, Op.Holders).Select(_ => new Holder()).ToArray();

    public long Purse(int holder) => _holders[holder].Purse;

    public long Wallet(int holder) => _holders[holder].Wallet;

    public long Pending(int holder) => _holders[holder].Pending;

    public long Held(int holder) => _holders[holder].Held;

    /// <summary>What the campus owes the person after 报退 (refunds payable for them); 0 while the account is open.</summary>
    public long RefundsPayable(int holder) => _holders[holder].RefundsPayable;

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
        h.Credit(amount);
        return (Outcome.Approved, DeclineReason.Unspecified);
    }

    /// <summary>A top-up through a channel whose card must confirm it: to pending (handbook 3.1 way two).</summary>
    public (Outcome, DeclineReason) FundPending(int holder, long amount, bool allowed)
    {
        var h = _holders[holder];
        if (!allowed) return (Outcome.Declined, DeclineReason.AmountOutOfRange);
        if (h.Closed) return (Outcome.Declined, DeclineReason.AccountClosed);
        h.Pending += amount;
        return (Outcome.Approved, DeclineReason.Unspecified);
    }

    /// <summary>领取 at a kiosk: a frozen card may claim, a lost or closed one may not.</summary>
    public (Outcome, DeclineReason, long) Claim(int holder)
    {
        var h = _holders[holder];
        var reason = h.Closed ? DeclineReason.CardClosed : h.Lost ? DeclineReason.CardLost : h.Pending == 0 ? DeclineReason.NothingPending : DeclineReason.Unspecified;
        if (reason != DeclineReason.Unspecified) return (Outcome.Declined, reason, 0);
        var claimed = h.Pending;
        h.Pending = 0;
        h.Credit(claimed);
        return (Outcome.Approved, DeclineReason.Unspecified, claimed);
    }

    public (Outcome, DeclineReason, long, long) Hold(int holder, string cardNo, string requestId, long amount, int merchant)
    {
        var h = _holders[holder];
        var reason = h.Closed ? DeclineReason.CardClosed : h.Lost ? DeclineReason.CardLost : h.Frozen ? DeclineReason.CardFrozen
            : h.Purse < amount ? DeclineReason.InsufficientFunds : DeclineReason.Unspecified;
        if (reason != DeclineReason.Unspecified) return (Outcome.Declined, reason, 0, 0);
        h.Purse -= amount;
        h.Held += amount;
        _holds[(cardNo, requestId)] = (amount, merchant, false);
        return (Outcome.Approved, DeclineReason.Unspecified, amount, 0);
    }

    /// <summary>A settle (<paramref name="amount"/>) or a release (null) by a terminal of <paramref name="merchant"/>.</summary>
    public (Outcome, DeclineReason, long, long) CloseHold(int holder, string cardNo, string holdId, long? amount, int merchant)
    {
        if (!_holds.TryGetValue((cardNo, holdId), out var hold)) return (Outcome.Declined, DeclineReason.UnknownHold, 0, 0);
        if (hold.Merchant != merchant) return (Outcome.Declined, DeclineReason.OtherMerchant, 0, 0);
        if (hold.Closed) return (Outcome.Declined, DeclineReason.HoldClosed, 0, 0);
        if (amount > hold.Amount) return (Outcome.Declined, DeclineReason.OverHold, 0, 0);
        _holds[(cardNo, holdId)] = hold with { Closed = true };
        var h = _holders[holder];
        h.Held -= hold.Amount;
        var back = hold.Amount - (amount ?? 0);
        h.Credit(back);
        h.DaySpent += amount ?? 0;
        return amount is { } settled ? (Outcome.Approved, DeclineReason.Unspecified, settled, back) : (Outcome.Approved, DeclineReason.Unspecified, back, 0);
    }

    /// <summary>
    /// An offline record: recorded whatever the card's state; an overdrawn purse freezes the card (art. 19); after 报退 it is
    /// taken from refunds payable for the person.
    /// </summary>
    public (Outcome, DeclineReason, Effect, CardState) Offline(int holder, long amount)
    {
        var h = _holders[holder];
        h.Credit(-amount);
        if (h.Purse < 0 && !h.Freeze.Contains(FreezeKind.Overdrawn) && !h.Closed) h.Freeze.Add(FreezeKind.Overdrawn);
        return (Outcome.Approved, DeclineReason.Unspecified, h.Closed ? Effect.UsedAfterClose : Effect.Unspecified, h.State);
    }

    /// <summary>自动转账 set at a kiosk with the PIN (a PIN operation: a frozen card may, a lost one may not).</summary>
    public (Outcome, DeclineReason, CardState, long) SetAutoTopUp(int holder, bool rightPin)
    {
        var h = _holders[holder];
        var reason = h.Closed ? DeclineReason.CardClosed : h.Lost ? DeclineReason.CardLost : Pin(h, rightPin);
        return (reason == DeclineReason.Unspecified ? Outcome.Approved : Outcome.Declined, reason, h.State, 0);
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
        if (toWallet && h.Frozen) return (Outcome.Declined, DeclineReason.CardFrozen);
        var available = toWallet ? h.Purse : h.Wallet;
        if (available < amount) return (Outcome.Declined, DeclineReason.InsufficientFunds);
        h.Credit(toWallet ? -amount : amount);
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
            _holders[holder].Credit(debit.Amount);
            _holders[holder].DaySpent -= debit.Amount;
            return (Outcome.Approved, DeclineReason.Unspecified, ReversalEffect.Refunded, debit.Amount);
        }
        if (_tombstones.Contains(key)) return (Outcome.Declined, DeclineReason.AlreadyReversed, ReversalEffect.Unspecified, 0);
        // Any other request with the card (a reversal, a hold, a claim, an offline record) is not a debit.
        if (_reversals.Contains(key) || _answers.ContainsKey(("c:" + cardNo, originalId))) return (Outcome.Declined, DeclineReason.NotReversible, ReversalEffect.Unspecified, 0);
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
            OpKind.Freeze when h.Freeze.Contains(FreezeKind.Admin) => DeclineReason.CardFrozen,
            OpKind.Unfreeze when !h.Frozen => DeclineReason.NotFrozen,
            OpKind.Unfreeze when h.Purse < 0 && h.Freeze.All(f => f == FreezeKind.Overdrawn) => DeclineReason.StillOverdrawn,
            OpKind.Replace when h.Frozen => DeclineReason.CardFrozen,
            OpKind.Replace when h.Purse < Math.Max(rules.ReplacementFeeFen, rules.ReplacementMinimumFen) => DeclineReason.BalanceTooLow,
            OpKind.Close when h.Wallet != 0 || h.Pending != 0 || h.Held != 0 => DeclineReason.BalanceElsewhere,
            OpKind.Close when h.Purse < 0 => DeclineReason.StillOverdrawn,
            _ => DeclineReason.Unspecified,
        };
        if (reason == DeclineReason.Unspecified)
        {
            switch (kind)
            {
                case OpKind.ReportLoss or OpKind.CancelLoss:
                    h.Lost = kind == OpKind.ReportLoss;
                    break;
                case OpKind.Freeze:
                    h.Freeze.Add(FreezeKind.Admin);
                    break;
                case OpKind.Unfreeze:
                    // Every reason that may lift; an overdraft's stays while the purse is negative (art. 19).
                    h.Freeze.RemoveWhere(f => f != FreezeKind.Overdrawn || h.Purse >= 0);
                    if (h.Purse < 0) h.Freeze.Add(FreezeKind.Overdrawn);
                    break;
                case OpKind.Replace:
                    (moved, h.Lost) = (rules.ReplacementFeeFen, false);
                    h.Purse -= moved;
                    break;
                case OpKind.Close:
                    (moved, h.Closed) = (h.Purse, true);
                    h.RefundsPayable = h.Purse;
                    h.Purse = 0;
                    break;
            }
        }
        return (reason == DeclineReason.Unspecified ? Outcome.Approved : Outcome.Declined, reason, h.State, moved);
    }

    private enum FreezeKind { Admin, Overdrawn }

    private sealed class Holder
    {
        public string Card = "";
        public long Purse;
        public long Wallet;
        public long Pending;
        public long Held;
        public long DaySpent;
        public int PinFails;
        public bool Lost;
        /// <summary>The reasons the card is frozen for: each lifts on its own.</summary>
        public readonly HashSet<FreezeKind> Freeze = [];
        public bool Closed;
        /// <summary>After 报退: what the campus owes the person (refunds payable), where money reaching them goes.</summary>
        public long RefundsPayable;

        public bool Frozen => Freeze.Count > 0;

        public CardState State => Closed ? CardState.Closed : Lost ? CardState.Lost : Frozen ? CardState.Frozen : CardState.Active;

        /// <summary>
        /// Money onto (or off) the purse: the credit that repays an overdraft lifts the overdraft's freeze (art. 19); after 报退
        /// it is refunds payable's for the person, and the closed purse stays 0.
        /// </summary>
        public void Credit(long amount)
        {
            if (Closed)
            {
                RefundsPayable += amount;
                return;
            }
            var before = Purse;
            Purse += amount;
            if (amount > 0 && before < 0 && Purse >= 0) Freeze.Remove(FreezeKind.Overdrawn);
        }
    }
}

/// <summary>The card rules the model-based tests configure the service with.</summary>
public sealed record ModelRules(long SingleLimitFen, long DailyLimitFen, int PinAttempts, long ReplacementFeeFen, long ReplacementMinimumFen);
