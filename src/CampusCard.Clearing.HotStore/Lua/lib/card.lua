-- What the deciders share about cards: their state (docs/architecture.md section 12; the handbook's art. 7, 19-22), the
-- card presented, and the PIN rule.

-- h.freeze is the set of reasons the card is frozen for, a bit (reason - 1) each (Domain/FreezeReasons.cs): a card may
-- be frozen for several at once, each lifts on its own, and the card is active again when none is left.
local function freeze_bit(reason)
  return bit.lshift(1, reason - 1)
end

local function frozen_for(h, reason)
  return bit.band(h.freeze, freeze_bit(reason)) ~= 0
end

-- Lifts the reasons of mask (and any unfreeze at a kiosk approved for them).
local function lift_freeze(h, mask)
  h.freeze = bit.band(h.freeze, bit.bnot(mask))
  h.rewrite = bit.band(h.rewrite, bit.bnot(mask))
end

-- Closed wins over lost, lost over frozen: a frozen card reported lost is lost, and frozen again once found.
local function card_state(h)
  if h.closed == 1 then return STATE.CLOSED end
  if h.lost == 1 then return STATE.LOST end
  if h.freeze ~= 0 then return STATE.FROZEN end
  return STATE.ACTIVE
end

-- The state of the card a decision answers for: a replaced card's (its number is dead) when it was declined for that,
-- else the holder's.
local function presented_state(h, reason)
  if reason == REASON.CARD_REPLACED then return STATE.REPLACED end
  return h and card_state(h) or 0
end

local STATE_DECLINE = { [STATE.LOST] = REASON.CARD_LOST, [STATE.FROZEN] = REASON.CARD_FROZEN, [STATE.CLOSED] = REASON.CARD_CLOSED }

-- Why the card presented (q.card, its number's fingerprint) may not be used, or nil: nobody holds it, it is one of
-- the holder's replaced cards (补办: the old number dies at once), or the card's state forbids it.
local function card_decline(h, q)
  if not h then return REASON.UNKNOWN_CARD end
  if h.card ~= q.card then return REASON.CARD_REPLACED end
  return STATE_DECLINE[card_state(h)]
end

-- Adds amount to the business day's spend (a new day starts from 0).
local function add_spend(h, c, amount)
  if h.spend_day ~= c.day then h.spend_day, h.day_spent = c.day, 0 end
  h.day_spent = h.day_spent + amount
end

-- Whether a debit of amount passes the single or the day's limit (一密两限, handbook Q&A 1); a limit of 0 is none.
local function over_limit(h, amount)
  return (h.single_limit > 0 and amount > h.single_limit) or (h.daily_limit > 0 and h.day_spent + amount > h.daily_limit)
end

-- Counts the PIN check the service made (q.pin; the PIN itself never reaches a script): nil when it was verified,
-- else the decline. q.term_a wrong PINs in a row lock it until the card office resets it.
local function pin_decline(h, q, c)
  if h.pin_fails >= q.term_a then return REASON.PIN_LOCKED end
  if q.pin == PIN.NONE then return REASON.PIN_REQUIRED end
  if q.pin == PIN.WRONG then
    h.pin_fails = h.pin_fails + 1
    c.state = true
    return REASON.WRONG_PIN
  end
  if h.pin_fails ~= 0 then
    h.pin_fails = 0
    c.state = true
  end
  return nil
end

-- The answers of a decider that moves no money: declined for a reason, or approved having changed the holder.
local function declined(reason)
  return OUTCOME.DECLINED, reason, 0, 0, 0
end

local function changed(c)
  c.state = true
  return OUTCOME.APPROVED, 0, 0, 0, 0
end
