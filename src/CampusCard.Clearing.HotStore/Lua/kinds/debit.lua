-- Debit (消费): purse -> merchant. The card presented must be the holder's live card and active; no overdraft; over
-- the single or the day's limit it needs the card PIN. Where the campus claims pending amounts at the next debit
-- (q.term_b 1; CUMT: 在食堂或者超市消费时，充值的钱会自动转到校园卡上) it claims them first, in the same decision, if the
-- debit is approved (side legs: pending -> purse). Returns outcome, reason, effect, moved, merchant.
DECIDE[KIND.DEBIT] = function(h, q, c)
  if c.tomb then return OUTCOME.DECLINED, REASON.REVERSED_BEFORE_ARRIVAL, 0, 0, q.merchant end
  if q.pre ~= 0 then return OUTCOME.DECLINED, q.pre, 0, 0, q.merchant end
  local declined = card_decline(h, q)
  if declined then return OUTCOME.DECLINED, declined, 0, 0, q.merchant end
  local claim = 0
  if q.term_b == 1 then claim = h.pending end
  if h.purse + claim < q.amount then return OUTCOME.DECLINED, REASON.INSUFFICIENT_FUNDS, 0, 0, q.merchant end
  if h.spend_day ~= c.day then h.spend_day, h.day_spent = c.day, 0 end
  if over_limit(h, q.amount) then
    declined = pin_decline(h, q, c)
    if declined then return OUTCOME.DECLINED, declined, 0, 0, q.merchant end
  end
  local effect = 0
  if claim > 0 then
    c.side = claim_pending(h, c)
    effect = EFFECT.AUTO_CLAIMED
  end
  h.purse = h.purse - q.amount
  add_spend(h, c, q.amount)
  return OUTCOME.APPROVED, 0, effect, q.amount, q.merchant
end
