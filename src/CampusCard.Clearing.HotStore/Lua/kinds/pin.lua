-- The card PIN and limits (一密两限, handbook Q&A 1 and 2). The service verified the PIN and says how (q.pin).

-- ChangePin (修改密码) at a kiosk with the card and the old PIN; q.flag 1 when the new PIN is the default one again.
DECIDE[KIND.CHANGE_PIN] = function(h, q, c)
  local declined = card_decline(h, q)
  if declined and declined ~= REASON.CARD_FROZEN then return OUTCOME.DECLINED, declined, 0, 0, 0 end
  declined = pin_decline(h, q, c)
  if declined then return OUTCOME.DECLINED, declined, 0, 0, 0 end
  h.pin_default = q.flag
  c.state = true
  return OUTCOME.APPROVED, 0, 0, 0, 0
end

-- ResetPin (密码重置) at the office: back to the default PIN, unlocked.
DECIDE[KIND.RESET_PIN] = function(h, q, c)
  if not h then return OUTCOME.DECLINED, REASON.UNKNOWN_PERSON, 0, 0, 0 end
  if h.closed == 1 then return OUTCOME.DECLINED, REASON.ACCOUNT_CLOSED, 0, 0, 0 end
  h.pin_fails, h.pin_default = 0, 1
  c.state = true
  return OUTCOME.APPROVED, 0, 0, 0, 0
end

-- SetLimits (修改限额) at a kiosk with the card and its PIN: single (q.amount) and daily (q.limit); 0 is no limit.
DECIDE[KIND.SET_LIMITS] = function(h, q, c)
  local declined = card_decline(h, q)
  if declined and declined ~= REASON.CARD_FROZEN then return OUTCOME.DECLINED, declined, 0, 0, 0 end
  declined = pin_decline(h, q, c)
  if declined then return OUTCOME.DECLINED, declined, 0, 0, 0 end
  h.single_limit, h.daily_limit = q.amount, q.limit
  c.state = true
  return OUTCOME.APPROVED, 0, 0, 0, 0
end
