-- OpenCard (开户发卡): the account of a person the registry just opened (q.holder), with its first card (q.card) of
-- type q.code, active, the PIN the default one, and the type's limits (q.term_a single, q.term_b daily). One account
-- per person for ever (art. 14): a second is declined, a closed one is never reopened.
DECIDE[KIND.OPEN_CARD] = function(h, q, c)
  if h then
    if h.closed == 1 then return declined(REASON.ACCOUNT_CLOSED) end
    return declined(REASON.ALREADY_OPEN)
  end
  c.holder = {
    id = q.holder, card = q.card, type = q.code, lost = 0, freeze = 0, rewrite = 0, closed = 0,
    purse = 0, wallet = 0, pending = 0, spend_day = c.day, day_spent = 0,
    single_limit = q.term_a, daily_limit = q.term_b, pin_fails = 0, pin_default = 1, issued_day = c.day,
    held = 0, lost_at = 0, claimed_txn = 0, auto_threshold = 0, auto_amount = 0, auto_open = 0, auto_until = 0, pay_set = 0, pay_fails = 0 }
  return changed(c)
end
