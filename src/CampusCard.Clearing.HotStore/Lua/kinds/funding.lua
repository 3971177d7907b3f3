-- What the kinds that put money on a purse share: the person must have an account that is not closed.
local function fund(h, q)
  if q.pre ~= 0 then return OUTCOME.DECLINED, q.pre, 0, 0, 0 end
  if not h then return OUTCOME.DECLINED, REASON.UNKNOWN_PERSON, 0, 0, 0 end
  if h.closed == 1 then return OUTCOME.DECLINED, REASON.ACCOUNT_CLOSED, 0, 0, 0 end
  h.purse = h.purse + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, 0
end

-- QuotaTopUp (圈存): bank clearing -> purse, under the channel's rules (decided before, as q.pre).
DECIDE[KIND.QUOTA_TOP_UP] = fund

-- Credit: a named system account -> purse (adjustments by the card office).
DECIDE[KIND.CREDIT] = fund
