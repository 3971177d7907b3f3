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

-- A card whose purse is overdrawn stays frozen, whatever it was frozen for, until the overdraft is repaid (art. 19).
local function still_overdrawn(h)
  return h.purse < 0
end

-- ReportLoss (挂失): by web, phone, WeChat, kiosk or the office. What the card did before stands (art. 22).
DECIDE[KIND.REPORT_LOSS] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if h.lost == 1 then return declined(REASON.CARD_LOST) end
  h.lost, h.lost_at = 1, c.now
  return changed(c)
end

-- CancelLoss (解挂): at the office, or self-service at a kiosk (q.flag 1) with the card PIN, which must no longer be
-- the default one (handbook 4.2; the service checked the ID number and the PIN).
DECIDE[KIND.CANCEL_LOSS] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if q.flag == 1 then
    if h.pin_default == 1 then return declined(REASON.DEFAULT_PIN) end
    refused = pin_decline(h, q, c)
    if refused then return declined(refused) end
  end
  if h.lost == 0 then return declined(REASON.NOT_LOST) end
  h.lost, h.lost_at = 0, 0
  return changed(c)
end

-- Freeze (冻结) for a reason (q.code). A frozen card keeps its first reason until it is unfrozen.
DECIDE[KIND.FREEZE] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if h.freeze ~= 0 then return declined(REASON.CARD_FROZEN) end
  h.freeze = q.code
  return changed(c)
end

-- Unfreeze (解冻): at once, or (q.flag 1) approved for the cardholder to finish at a kiosk (Q&A 3, 档案重写).
DECIDE[KIND.UNFREEZE] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if h.freeze == 0 then return declined(REASON.NOT_FROZEN) end
  if still_overdrawn(h) then return declined(REASON.STILL_OVERDRAWN) end
  if q.flag == 1 then
    h.rewrite = 1
  else
    h.freeze, h.rewrite = 0, 0
  end
  return changed(c)
end

-- RewriteCard (档案重写): the cardholder finishes at a kiosk, with the card, an unfreeze the office approved.
DECIDE[KIND.REWRITE_CARD] = function(h, q, c)
  local refused = lifecycle_decline(h, q)
  if refused then return declined(refused) end
  if h.freeze == 0 then return declined(REASON.NOT_FROZEN) end
  if h.rewrite == 0 then return declined(REASON.REWRITE_NOT_APPROVED) end
  if still_overdrawn(h) then return declined(REASON.STILL_OVERDRAWN) end
  h.freeze, h.rewrite = 0, 0
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
