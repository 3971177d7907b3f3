-- The kinds that put money on a person's accounts from outside: the person must have an account that is not closed.

-- A top-up answering an auto top-up request (q.ref, the transaction that opened it) funds it at most once: the request
-- must be the holder's open one, and is closed by the answer, approved or declined (by the channel's rules too).
local function close_auto_request(h, q, c)
  if q.ref == 0 or not h or h.auto_open ~= q.ref then return false end
  h.auto_open, h.auto_until = 0, 0
  c.state = true
  return true
end

-- Whether q answers the holder's open auto top-up request (q.ref) for another amount than the cardholder set: refused,
-- and the request stays open for the right amount.
local function other_auto_amount(h, q, c)
  return q.ref ~= 0 and h and h.auto_open == q.ref and h.auto_until > c.now and q.amount ~= h.auto_amount
end

-- A top-up answering the open request for its amount that the channel declines (its hours, its range) closes it.
local function fund_decline(h, q, c)
  if other_auto_amount(h, q, c) then return REASON.AUTO_TOP_UP_AMOUNT_DIFFERS end
  if q.pre ~= 0 then
    close_auto_request(h, q, c)
    return q.pre
  end
  if not h then return REASON.UNKNOWN_PERSON end
  if h.closed == 1 then return REASON.ACCOUNT_CLOSED end
  if q.ref ~= 0 and (h.auto_until <= c.now or not close_auto_request(h, q, c)) then return REASON.AUTO_TOP_UP_NOT_OPEN end
  return nil
end

-- QuotaTopUp (圈存): bank clearing -> purse, under the channel's rules (decided before, as q.pre); through a channel
-- whose card must confirm it (q.term_a 1, handbook 3.1 way two) -> pending, claimed at a kiosk (确认转账).
DECIDE[KIND.QUOTA_TOP_UP] = function(h, q, c)
  local refused = fund_decline(h, q, c)
  if refused then return declined(refused) end
  if q.term_a == 1 then
    h.pending = h.pending + q.amount
    return OUTCOME.APPROVED, 0, EFFECT.TO_PENDING, q.amount, 0
  end
  h.purse = h.purse + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, 0
end

-- Credit: a named system account -> purse (adjustments by the card office).
DECIDE[KIND.CREDIT] = function(h, q, c)
  local refused = fund_decline(h, q, c)
  if refused then return declined(refused) end
  h.purse = h.purse + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, 0
end

-- TopUpWallet: bank -> e-wallet, one way (handbook 6.2). A temporary card has the e-purse only (art. 4).
DECIDE[KIND.TOP_UP_WALLET] = function(h, q, c)
  local refused = fund_decline(h, q, c)
  if refused then return declined(refused) end
  if h.type == CARD_TYPE.TEMPORARY then return declined(REASON.NOT_FOR_CARD_TYPE) end
  h.wallet = h.wallet + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, 0
end
