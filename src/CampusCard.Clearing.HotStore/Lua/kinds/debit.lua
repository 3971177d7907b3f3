-- Debit (消费): purse -> merchant. The card presented must be the holder's live card and active; no overdraft; over
-- the single or the day's limit it needs the card PIN. Returns outcome, reason, effect, moved, merchant.
DECIDE[KIND.DEBIT] = function(h, q, c)
  if c.tomb then return OUTCOME.DECLINED, REASON.REVERSED_BEFORE_ARRIVAL, 0, 0, q.merchant end
  if q.pre ~= 0 then return OUTCOME.DECLINED, q.pre, 0, 0, q.merchant end
  local declined = card_decline(h, q)
  if declined then return OUTCOME.DECLINED, declined, 0, 0, q.merchant end
  if h.purse < q.amount then return OUTCOME.DECLINED, REASON.INSUFFICIENT_FUNDS, 0, 0, q.merchant end
  if h.spend_day ~= c.day then h.spend_day, h.day_spent = c.day, 0 end
  if over_limit(h, q.amount) then
    declined = pin_decline(h, q, c)
    if declined then return OUTCOME.DECLINED, declined, 0, 0, q.merchant end
  end
  h.purse = h.purse - q.amount
  h.day_spent = h.day_spent + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, q.merchant
end
