-- Holds (预授权) for shower 水控, water and laundry terminals: the most a session may cost leaves the purse for the
-- holds account, then the terminal settles what it cost (holds -> merchant, the rest back to the purse) or releases it
-- (holds -> purse). A hold is closed at most once (o.rv, invariant 8); past its deadline only a release closes it, and
-- the engine releases what nobody settled.

-- Hold: q.amount at most, for q.ref seconds, for the terminal's merchant.
DECIDE[KIND.HOLD] = function(h, q, c)
  if q.pre ~= 0 then return declined(q.pre) end
  local refused = card_decline(h, q)
  if refused then return declined(refused) end
  if h.purse < q.amount then return declined(REASON.INSUFFICIENT_FUNDS) end
  h.purse, h.held = h.purse - q.amount, h.held + q.amount
  c.deadline = c.now + q.ref * 1000
  return OUTCOME.APPROVED, 0, 0, q.amount, q.merchant
end

-- The open hold a settle or release names, or the decline. The engine's release (q.merchant 0) may close any.
local function open_hold(q, c)
  local o = original_of(c, KIND.HOLD)
  if not o then return nil, REASON.UNKNOWN_HOLD end
  if q.merchant ~= 0 and o.merchant ~= q.merchant then return nil, REASON.OTHER_MERCHANT end
  if o.rv ~= 0 then return nil, REASON.HOLD_CLOSED end
  return o
end

-- SettleHold: q.amount (at most the hold) to the hold's merchant, the rest back to the purse (side legs). What it cost is
-- the day's spend, as a debit's is (一密两限, handbook Q&A 1: 每日累计消费限额).
DECIDE[KIND.SETTLE_HOLD] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_CARD) end
  local o, refused = open_hold(q, c)
  if refused then return declined(refused) end
  if c.now > o.deadline then return declined(REASON.HOLD_EXPIRED) end
  if q.amount > o.moved then return declined(REASON.OVER_HOLD) end
  o.rv = c.txn
  mark_original(c, o)
  h.held = h.held - o.moved
  h.purse = h.purse + o.moved - q.amount
  add_spend(h, c, q.amount)
  c.side = o.moved - q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, o.merchant
end

-- ReleaseHold: all of it back to the purse, by the terminal or, past the deadline, by the engine.
DECIDE[KIND.RELEASE_HOLD] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_CARD) end
  local o, refused = open_hold(q, c)
  if refused then return declined(refused) end
  o.rv = c.txn
  mark_original(c, o)
  h.held, h.purse = h.held - o.moved, h.purse + o.moved
  return OUTCOME.APPROVED, 0, 0, o.moved, o.merchant
end
