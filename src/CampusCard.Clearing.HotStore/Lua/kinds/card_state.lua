-- The card office's and the cardholder's changes of a card's state (handbook ch. 4, art. 19-22, Q&A 3). Each names
-- the holder by person (q.card 0) or by the card presented (q.card its fingerprint), and changes no money.

-- The holder a lifecycle request may act on, or the decline: by card it must be the live one.
local function lifecycle_decline(h, q)
  if not h then
    if q.card ~= 0 then return REASON.UNKNOWN_CARD end
    return REASON.UNKNOWN_PERSON
  end
  if q.card ~= 0 and h.card ~= q.card then return REASON.CARD_REPLACED end
  if h.closed == 1 then return REASON.ACCOUNT_CLOSED end
  return nil
end

-- The reasons an unfreeze of q.code lifts (0: every reason), or the decline. The overdraft's lifts only once the
-- overdraft is repaid (art. 19: 持卡人在清偿透支款项后，卡片才可正常使用).
local function unfreezable(h, q)
  if h.freeze == 0 then return nil, REASON.NOT_FROZEN end
  local mask = h.freeze
  if q.code ~= 0 then
    if not frozen_for(h, q.code) then return nil, REASON.NOT_FROZEN_FOR_REASON end
    mask = freeze_bit(q.code)
  end
  if h.purse < 0 then mask = bit.band(mask, bit.bnot(freeze_bit(FREEZE.OVERDRAWN))) end
  if mask == 0 then return nil, REASON.STILL_OVERDRAWN end
  return mask
end

-- A purse still overdrawn keeps the card frozen for it, whatever else lifted (a card frozen before it was overdrawn
-- by an offline record has no overdraft reason yet).
local function keep_overdraft(h)
  if h.purse < 0 then h.freeze = bit.bor(h.freeze, freeze_bit(FREEZE.OVERDRAWN)) end
end

-- The ID number's check at a kiosk (q.id_check, the service's verdict): a wrong one counts as a wrong PIN does, and
-- the PIN's lock stops it as well (handbook 4.2).
local function id_number_decline(h, q, c)
  if h.pin_fails >= q.term_a then return REASON.PIN_LOCKED end
  if q.id_check == PIN.VERIFIED then return nil end
  h.pin_fails = h.pin_fails + 1
  c.state = true
  return REASON.WRONG_ID_NUMBER
end

-- ReportLoss (挂失): by web, phone, WeChat, kiosk or the office. What the card did before stands (art. 22).
DECIDE[KIND.REPORT_LOSS] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if h.lost == 1 then return declined(REASON.CARD_LOST) end
  h.lost, h.lost_at = 1, c.now
  return changed(c)
end

-- CancelLoss (解挂): at the office, or self-service at a kiosk (q.flag 1) with the ID number and the card PIN, which must
-- no longer be the default one (handbook 4.2; the service checked both and says how: q.id_check, q.pin).
DECIDE[KIND.CANCEL_LOSS] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if q.flag == 1 then
    if h.pin_default == 1 then return declined(REASON.DEFAULT_PIN) end
    refused = id_number_decline(h, q, c) or pin_decline(h, q, c)
    if refused then return declined(refused) end
  end
  if h.lost == 0 then return declined(REASON.NOT_LOST) end
  h.lost, h.lost_at = 0, 0
  return changed(c)
end

-- Freeze (冻结) for a reason (q.code), beside any it is frozen for already (art. 7: 停止校园卡的各项功能).
DECIDE[KIND.FREEZE] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if frozen_for(h, q.code) then return declined(REASON.CARD_FROZEN) end
  h.freeze = bit.bor(h.freeze, freeze_bit(q.code))
  return changed(c)
end

-- Unfreeze (解冻) of one reason (q.code) or of every reason (0): at once, or (q.flag 1) approved for the cardholder to
-- finish at a kiosk (Q&A 3, 档案重写).
DECIDE[KIND.UNFREEZE] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  local mask
  mask, refused = unfreezable(h, q)
  if refused then return declined(refused) end
  if q.flag == 1 then
    h.rewrite = bit.bor(h.rewrite, mask)
  else
    lift_freeze(h, mask)
    keep_overdraft(h)
  end
  return changed(c)
end

-- RewriteCard (档案重写): the cardholder finishes at a kiosk, with the card, an unfreeze the office approved.
DECIDE[KIND.REWRITE_CARD] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if h.freeze == 0 then return declined(REASON.NOT_FROZEN) end
  if h.rewrite == 0 then return declined(REASON.REWRITE_NOT_APPROVED) end
  lift_freeze(h, h.rewrite)
  keep_overdraft(h)
  return changed(c)
end

-- ReplaceCard (补办): a new card (q.card) for the person; the old number dies at once, the loss ends, balance and
-- limits carry over. The fee 工本费 (q.amount, by card type) goes purse -> fee income, and needs at least q.term_a on
-- the purse (CUMT: 20 yuan); a chip failure without visible damage (q.code, q.flag 0) within q.term_b days of issue is
-- free (art. 12).
DECIDE[KIND.REPLACE_CARD] = function(h, q, c)
  if not h then return declined(REASON.UNKNOWN_PERSON) end
  if h.closed == 1 then return declined(REASON.ACCOUNT_CLOSED) end
  local fee = q.amount
  if q.code == REPLACE.CHIP_FAILURE and q.flag == 0 and c.day - h.issued_day < q.term_b then fee = 0 end
  -- A frozen card moves no money out of its purse (art. 7): a replacement that costs a fee waits for the unfreeze.
  if fee > 0 and h.freeze ~= 0 then return declined(REASON.CARD_FROZEN) end
  if fee > 0 and h.purse < math.max(fee, q.term_a) then return declined(REASON.BALANCE_TOO_LOW) end
  h.purse = h.purse - fee
  h.card, h.lost, h.lost_at, h.issued_day = q.card, 0, 0, c.day
  c.state = true
  return OUTCOME.APPROVED, 0, 0, fee, 0
end

-- CloseAccount (报退, art. 15): the purse refunded to refunds payable, the card dead, the account never reopened. The
-- e-wallet and pending balance must be moved to the purse first, open holds settled or released; an overdraft repaid.
DECIDE[KIND.CLOSE_ACCOUNT] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if h.wallet ~= 0 or h.pending ~= 0 or h.held ~= 0 then return declined(REASON.BALANCE_ELSEWHERE) end
  if h.purse < 0 then return declined(REASON.STILL_OVERDRAWN) end
  local refund = h.purse
  h.purse, h.closed = 0, 1
  c.state = true
  return OUTCOME.APPROVED, 0, 0, refund, 0
end
