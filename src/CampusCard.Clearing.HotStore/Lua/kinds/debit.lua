-- Debit (消费): purse -> merchant. The card presented must be the holder's live card and active; no overdraft.
-- Returns outcome, reason, effect, moved, merchant.
DECIDE[KIND.DEBIT] = function(h, q, c)
  if c.tomb then return OUTCOME.DECLINED, REASON.REVERSED_BEFORE_ARRIVAL, 0, 0, q.merchant end
  if q.pre ~= 0 then return OUTCOME.DECLINED, q.pre, 0, 0, q.merchant end
  if not h or h.card ~= q.card then return OUTCOME.DECLINED, REASON.UNKNOWN_CARD, 0, 0, q.merchant end
  if h.state == STATE.LOST then return OUTCOME.DECLINED, REASON.CARD_LOST, 0, 0, q.merchant end
  if h.state == STATE.FROZEN then return OUTCOME.DECLINED, REASON.CARD_FROZEN, 0, 0, q.merchant end
  if h.state == STATE.CLOSED then return OUTCOME.DECLINED, REASON.CARD_CLOSED, 0, 0, q.merchant end
  if h.purse < q.amount then return OUTCOME.DECLINED, REASON.INSUFFICIENT_FUNDS, 0, 0, q.merchant end
  h.purse = h.purse - q.amount
  if h.spend_day ~= c.day then h.spend_day, h.day_spent = c.day, 0 end
  h.day_spent = h.day_spent + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, q.merchant
end
