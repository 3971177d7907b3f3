-- The pending balance 过渡余额: top-ups a card must confirm and subsidies 补助 wait there until the cardholder claims them
-- at a kiosk (handbook 2.2, 3.1 way two); unclaimed subsidies go back to the fund after their batch's deadline.

-- Claim (领取补助 / 确认转账): every pending amount into the purse, in one transaction, with the card at a kiosk. A frozen
-- card may claim (money it claims may repay an overdraft); a lost one may not.
DECIDE[KIND.CLAIM] = function(h, q, c)
  local refused = card_decline(h, q)
  if refused and refused ~= REASON.CARD_FROZEN then return declined(refused) end
  if h.pending == 0 then return declined(REASON.NOTHING_PENDING) end
  return OUTCOME.APPROVED, 0, 0, claim_pending(h, c), 0
end

-- Subsidy (补助): subsidy fund -> pending, one per person and batch (the request id is the batch's).
DECIDE[KIND.SUBSIDY] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  if h.closed == 1 then return declined(REASON.ACCOUNT_CLOSED) end
  h.pending = h.pending + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, 0
end

-- RecallSubsidy: pending -> subsidy fund, the person's subsidy of a batch (the original) while it is unclaimed: no
-- claim since it was issued, not recalled before.
DECIDE[KIND.RECALL_SUBSIDY] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  local o = original_of(c, KIND.SUBSIDY)
  if not o then return declined(REASON.UNKNOWN_SUBSIDY) end
  if o.rv ~= 0 or h.claimed_txn > o.txn then return declined(REASON.SUBSIDY_CLAIMED) end
  o.rv = c.txn
  mark_original(c, o)
  h.pending = h.pending - o.moved
  return OUTCOME.APPROVED, 0, 0, o.moved, 0
end
