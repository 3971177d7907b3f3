-- Reversal (冲正): merchant -> purse, by the original debit's request id, at most once, only by a terminal of the
-- original's merchant. An unknown original is approved and leaves a tombstone at its key, so the late original
-- is declined; reversing a declined debit is approved and moves nothing.
DECIDE[KIND.REVERSAL] = function(h, q, c)
  if q.pre ~= 0 then return OUTCOME.DECLINED, q.pre, 0, 0, 0 end
  if not h then return OUTCOME.DECLINED, REASON.UNKNOWN_CARD, 0, 0, 0 end
  local found = redis.call('GET', c.okey)
  if not found then
    redis.call('SET', c.okey, pack_record({
      kind = TOMBSTONE, fp = 0, outcome = 0, reason = 0, txn = 0, holder = 0, purse = 0, wallet = 0, pending = 0,
      effect = 0, moved = 0, ts = c.now, merchant = 0, day = 0, rv = c.txn, state = 0, held = 0, side = 0, deadline = 0, undone = 0,
      code = 0 }), 'EX', c.ttl)
    return OUTCOME.APPROVED, 0, EFFECT.ORIGINAL_UNKNOWN, 0, 0
  end
  local o = unpack_record(found)
  if o.kind == TOMBSTONE then return OUTCOME.DECLINED, REASON.ALREADY_REVERSED, 0, 0, 0 end
  -- Only a debit is reversed: a hold its settle or release closed (rv set) is still not reversible, not "reversed".
  if o.kind ~= KIND.DEBIT then return OUTCOME.DECLINED, REASON.NOT_REVERSIBLE, 0, 0, 0 end
  if o.rv ~= 0 then return OUTCOME.DECLINED, REASON.ALREADY_REVERSED, 0, 0, 0 end
  if o.merchant ~= q.merchant then return OUTCOME.DECLINED, REASON.OTHER_MERCHANT, 0, 0, 0 end
  o.rv = c.txn
  mark_original(c, o)
  if o.outcome == OUTCOME.DECLINED then return OUTCOME.APPROVED, 0, EFFECT.NOTHING_TO_REVERSE, 0, o.merchant end
  h.purse = h.purse + o.moved
  if o.day == c.day and h.spend_day == c.day then h.day_spent = h.day_spent - o.moved end
  return OUTCOME.APPROVED, 0, EFFECT.REFUNDED, o.moved, o.merchant
end
