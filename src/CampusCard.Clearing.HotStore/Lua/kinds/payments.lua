-- The e-payment platform 电子支付平台 (handbook ch. 6, 7): payments to payees with the payment password 电子支付密码, which
-- is not the card PIN (art. 18). The service checks the password and says how (q.pin); wrong ones in a row are counted
-- (h.pay_fails) and q.term_a of them lock it until the card office resets it.

local function password_decline(h, q, c)
  if h.pay_set == 0 then return REASON.PAYMENT_PASSWORD_REQUIRED end
  if h.pay_fails >= q.term_a then return REASON.PAYMENT_PASSWORD_LOCKED end
  if q.pin ~= PIN.VERIFIED then
    h.pay_fails = h.pay_fails + 1
    c.state = true
    return REASON.WRONG_PAYMENT_PASSWORD
  end
  if h.pay_fails ~= 0 then
    h.pay_fails = 0
    c.state = true
  end
  return nil
end

local SOURCE = { [ACCOUNT.PURSE] = 'purse', [ACCOUNT.WALLET] = 'wallet' }

-- SetPaymentPassword: the first time with the card PIN (q.flag 0: handbook 6.1, set it first thing after logging in),
-- then with the password it replaces (q.flag 1). The service stores the new one's hash once this is approved.
DECIDE[KIND.SET_PAYMENT_PASSWORD] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  if h.closed == 1 then return declined(REASON.ACCOUNT_CLOSED) end
  local refused
  if h.pay_set == 1 then
    if q.flag == 0 then return declined(REASON.WRONG_PAYMENT_PASSWORD) end
    refused = password_decline(h, q, c)
  else
    if q.flag == 1 then return declined(REASON.PAYMENT_PASSWORD_REQUIRED) end
    refused = pin_decline(h, q, c)
  end
  if refused then return declined(refused) end
  h.pay_set, h.pay_fails = 1, 0
  return changed(c)
end

-- ResetPaymentPassword (支付密码重置) at the office: the password and its lock cleared; the cardholder sets a new one with
-- the card PIN, as the first time (handbook 6.1).
DECIDE[KIND.RESET_PAYMENT_PASSWORD] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  if h.closed == 1 then return declined(REASON.ACCOUNT_CLOSED) end
  h.pay_set, h.pay_fails = 0, 0
  return changed(c)
end

-- Payment (自助缴费): q.amount from the e-wallet or the purse (q.code) to a payee (q.merchant), with the password. The
-- purse is the card's: only an active card pays from it.
DECIDE[KIND.PAYMENT] = function(h, q, c)
  if q.pre ~= 0 then return declined(q.pre) end
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  if h.closed == 1 then return declined(REASON.ACCOUNT_CLOSED) end
  local source = SOURCE[q.code]
  if source == 'purse' and card_state(h) ~= STATE.ACTIVE then return declined(STATE_DECLINE[card_state(h)]) end
  if source == 'wallet' and h.type == CARD_TYPE.TEMPORARY then return declined(REASON.NOT_FOR_CARD_TYPE) end
  local refused = password_decline(h, q, c)
  if refused then return declined(refused) end
  if h[source] < q.amount then return declined(REASON.INSUFFICIENT_FUNDS) end
  h[source] = h[source] - q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, q.merchant
end

-- PaymentRefund: the payee gives back up to what is left of a payment (the original), to where it came from.
DECIDE[KIND.PAYMENT_REFUND] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  local o = original_of(c, KIND.PAYMENT)
  if not o or o.code ~= q.code then return declined(REASON.UNKNOWN_PAYMENT) end
  if o.merchant ~= q.merchant then return declined(REASON.OTHER_MERCHANT) end
  if q.amount > o.moved - o.undone then return declined(REASON.OVER_REFUND) end
  o.undone = o.undone + q.amount
  mark_original(c, o)
  local source = SOURCE[q.code]
  h[source] = h[source] + q.amount
  return OUTCOME.APPROVED, 0, 0, q.amount, q.merchant
end
