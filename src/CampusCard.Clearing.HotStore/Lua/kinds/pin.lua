-- The card PIN and limits (一密两限, handbook Q&A 1 and 2). The service verified the PIN and says how (q.pin).

-- What a PIN operation at a kiosk needs: the holder's live card, frozen or not, and its PIN.
local function pin_operation_decline(h, q, c)
  local refused = card_decline(h, q)
  if refused and refused ~= REASON.CARD_FROZEN then return refused end
  return pin_decline(h, q, c)
end

-- ChangePin (修改密码) at a kiosk with the card and the old PIN; q.flag 1 when the new PIN is the default one again.
DECIDE[KIND.CHANGE_PIN] = function(h, q, c)
  local refused = pin_operation_decline(h, q, c)
  if refused then return declined(refused) end
  h.pin_default = q.flag
  return changed(c)
end

-- ResetPin (密码重置) at the office: back to the default PIN, unlocked.
DECIDE[KIND.RESET_PIN] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  if h.closed == 1 then return declined(REASON.ACCOUNT_CLOSED) end
  h.pin_fails, h.pin_default = 0, 1
  return changed(c)
end

-- SetLimits (修改限额) at a kiosk with the card and its PIN: single (q.amount) and daily (q.limit); 0 is no limit.
DECIDE[KIND.SET_LIMITS] = function(h, q, c)
  local refused = pin_operation_decline(h, q, c)
  if refused then return declined(refused) end
  h.single_limit, h.daily_limit = q.amount, q.limit
  return changed(c)
end

-- SetAutoTopUp (自动转账, CUMT) at a kiosk with the card and its PIN: below q.limit on the purse, ask the bank for
-- q.amount; 0 and 0 turn it off.
DECIDE[KIND.SET_AUTO_TOP_UP] = function(h, q, c)
  local refused = pin_operation_decline(h, q, c)
  if refused then return declined(refused) end
  h.auto_threshold, h.auto_amount = q.limit, q.amount
  return changed(c)
end
