-- What the deciders share about money beyond one kind: the rules that follow any decision (decide.lua calls them) and
-- the original request a kind acts on (a settle's hold, a refund's payment, a recall's subsidy).

-- A decision that left the purse lower and below the cardholder's threshold asks the bank for a top-up (自动转账, CUMT):
-- at most one request is open per card; one funded, declined or past its lifetime lets the next low balance ask again.
local function ask_auto_top_up(h, c, lifetime)
  if h.auto_threshold == 0 or h.purse >= h.auto_threshold or h.closed == 1 then return end
  if h.auto_open ~= 0 and h.auto_until > c.now then return end
  h.auto_open, h.auto_until = c.txn, c.now + lifetime
  c.state = true
end

-- Money that reaches an account closed by 报退 (a reversal, a payment's refund, an offline record; anything) is the
-- person's refunds payable, not the dead accounts': the closed holder's balances stay as the close left them, and the
-- kind's descriptor books the legs to refunds payable for the person (Domain/Kinds/KindDescriptor.cs, Legs).
local function balances_of(h)
  return { purse = h.purse, wallet = h.wallet, pending = h.pending, held = h.held }
end

local function keep_closed(h, before)
  h.purse, h.wallet, h.pending, h.held = before.purse, before.wallet, before.pending, before.held
end

-- A freeze for an overdraft lifts by itself once money on the purse repays it (art. 19: 持卡人在清偿透支款项后，卡片才可正常使用).
-- Only that reason lifts: a card frozen for others as well stays frozen for them.
local function settle_overdraft(h, c, purse_before)
  if frozen_for(h, FREEZE.OVERDRAWN) and purse_before < 0 and h.purse >= 0 then
    lift_freeze(h, freeze_bit(FREEZE.OVERDRAWN))
    c.state = true
  end
end

-- The original request's record (c.okey) when it is an approved request of the kind given, else nil.
local function original_of(c, kind)
  local found = redis.call('GET', c.okey)
  if not found then return nil end
  local o = unpack_record(found)
  if o.kind ~= kind or o.outcome ~= OUTCOME.APPROVED then return nil end
  return o
end

-- Stores what a decision did to its original (closed it: o.rv; undid part of it: o.undone). Its expiry stays.
local function mark_original(c, o)
  redis.call('SET', c.okey, pack_record(o), 'KEEPTTL')
end

-- Every pending amount into the purse (领取 / 确认转账); a subsidy issued before this claim is claimed.
local function claim_pending(h, c)
  local amount = h.pending
  h.purse, h.pending, h.claimed_txn = h.purse + amount, 0, c.txn
  c.state = true
  return amount
end
