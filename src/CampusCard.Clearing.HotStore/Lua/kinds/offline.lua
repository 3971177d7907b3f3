-- OfflineDebit (脱机流水): a debit a terminal made while offline, uploaded later. It already happened, so it is recorded
-- whatever the card's state and balance now: an overdrawn purse freezes the card as overdrawn (art. 19; the top-up that
-- repays it lifts the freeze), and a record of a card lost before it happened (q.occurred, art. 22), replaced or closed
-- is flagged for the card office (the effect). Only a card nobody holds, and a record older than the campus accepts
-- (q.pre: OFFLINE_RECORD_TOO_OLD, listed for the card office, not booked), are declined. It is not today's spend.
DECIDE[KIND.OFFLINE_DEBIT] = function(h, q, c)
  if q.pre ~= 0 then return declined(q.pre) end
  if not h then return declined(REASON.UNKNOWN_CARD) end
  local effect = 0
  if h.card ~= q.card then
    effect = EFFECT.USED_AFTER_REPLACEMENT
  elseif h.closed == 1 then
    effect = EFFECT.USED_AFTER_CLOSE
  elseif h.lost == 1 and q.occurred >= h.lost_at then
    effect = EFFECT.USED_WHILE_LOST
  end
  h.purse = h.purse - q.amount
  if h.purse < 0 and not frozen_for(h, FREEZE.OVERDRAWN) and h.closed == 0 then
    h.freeze = bit.bor(h.freeze, freeze_bit(FREEZE.OVERDRAWN))
    c.state = true
  end
  return OUTCOME.APPROVED, 0, effect, q.amount, q.merchant
end
