-- decide.lua: decides a batch of clearing requests atomically and appends the decided ones to the outbox.
--
-- KEYS[1]  the transaction sequence: the last transaction id handed out
-- KEYS[2]  the outbox stream
-- then three keys per request i (i = 1..n), all under the holder's hash tag:
--   KEYS[3i]    the holder: seven little-endian 64-bit integers (HolderValue.cs), ci card issue, st card state,
--               pu purse, ew e-wallet, pe pending, dd spend day, ds day spent
--   KEYS[3i+1]  the request's idempotency record
--   KEYS[3i+2]  the original's idempotency record (a reversal), else the request's record again
--
-- ARGV[1]  now, unix milliseconds          ARGV[2]  business day number
-- ARGV[3]  idempotency record ttl, seconds  ARGV[4]  high water: the highest transaction id the caller saw
-- ARGV[5]  a, the number of outbox ids now in the journal; ARGV[6 .. 5+a] those ids, removed here
-- then seven per request: kind, fingerprint, amount, pre-decline reason, aux (debit: card issue;
--   transfer: direction), merchant no, journal payload (opaque: copied into the outbox)
--
-- A record is "kind|fp|outcome|reason|txn|pu|ew|pe|effect|moved|ts|merchant|day|rv" (rv: the id of the
-- reversal that reversed it, or 0); a reversal that came before its original leaves "T|<reversal txn>".
-- Returns { outbox id or "", then per request "N|<record>" decided now, "R|<record>" a retry, or "C" a
-- request id reused for different content }. Fails with LOSTWRITES when the sequence is behind the high
-- water: this Redis lost writes, and the caller must rebuild it from the journal before deciding anything.

local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
if seq < tonumber(ARGV[4]) then
  return redis.error_reply('LOSTWRITES sequence ' .. seq .. ' is behind ' .. ARGV[4])
end

-- Numbers reach Redis and the records as strings formatted here with %d: Lua's own number to
-- string conversion (%.14g, and Redis' %.17g for command arguments) costs several times more.
local fmt = string.format
local now, day, dayText, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[2], ARGV[3]
local acks = tonumber(ARGV[5])
if acks > 0 then redis.call('XDEL', KEYS[2], unpack(ARGV, 6, 5 + acks)) end
local base = 5 + acks

local DEBIT, REVERSAL, TOPUP, CREDIT, TRANSFER = 1, 2, 3, 4, 5
local APPROVED, DECLINED = 1, 2
local ACTIVE, CLOSED = 1, 4
local INSUFFICIENT, UNKNOWN_CARD, UNKNOWN_PERSON = 1, 2, 7
local ALREADY_REVERSED, REVERSED_BEFORE_ARRIVAL, NOT_REVERSIBLE, ACCOUNT_CLOSED = 8, 9, 10, 13
local STATE_REASON = { [2] = 3, [3] = 4, [4] = 5 } -- lost, frozen, closed
local REFUNDED, NOTHING_TO_REVERSE, ORIGINAL_UNKNOWN = 1, 2, 3

local function split(s)
  local f = {}
  for v in (s .. '|'):gmatch('([^|]*)|') do f[#f + 1] = v end
  return f
end

local HOLDER = '<i8i8i8i8i8i8i8'

local function load(key)
  local v = redis.call('GET', key)
  if not v then return nil end
  local h = {}
  h.ci, h.st, h.pu, h.ew, h.pe, h.dd, h.ds = struct.unpack(HOLDER, v)
  return h
end

local function save(key, h)
  redis.call('SET', key, struct.pack(HOLDER, h.ci, h.st, h.pu, h.ew, h.pe, h.dd, h.ds))
end

local NOBODY = { pu = 0, ew = 0, pe = 0 }

-- A batch often holds several requests of one holder (a popular card at lunch): each holder is read
-- once, its decisions change the one table, and it is written once, after the last of them.
local holders, changed = {}, {}
local function holder(key)
  local h = holders[key]
  if h == nil then
    h = load(key) or false
    holders[key] = h
  end
  return h or nil
end

-- Each decider returns outcome, reason, effect, moved, merchant, rv; it may change h and the original's record.
local function debit(h, amount, pre, aux, merchant, prior)
  if prior then return DECLINED, REVERSED_BEFORE_ARRIVAL, 0, 0, merchant, split(prior)[2] end
  if pre ~= 0 then return DECLINED, pre, 0, 0, merchant, 0 end
  if not h or h.ci ~= aux then return DECLINED, UNKNOWN_CARD, 0, 0, merchant, 0 end
  if h.st ~= ACTIVE then return DECLINED, STATE_REASON[h.st], 0, 0, merchant, 0 end
  if h.pu < amount then return DECLINED, INSUFFICIENT, 0, 0, merchant, 0 end
  h.pu = h.pu - amount
  if h.dd ~= day then h.dd, h.ds = day, 0 end
  h.ds = h.ds + amount
  return APPROVED, 0, 0, amount, merchant, 0
end

local function reversal(h, pre, okey, txn)
  if pre ~= 0 then return DECLINED, pre, 0, 0, 0, 0 end
  if not h then return DECLINED, UNKNOWN_CARD, 0, 0, 0, 0 end
  local orig = redis.call('GET', okey)
  if not orig then
    redis.call('SET', okey, 'T|' .. txn, 'EX', ttl)
    return APPROVED, 0, ORIGINAL_UNKNOWN, 0, 0, 0
  end
  if orig:sub(1, 2) == 'T|' then return DECLINED, ALREADY_REVERSED, 0, 0, 0, 0 end
  local o = split(orig)
  if tonumber(o[1]) ~= DEBIT then return DECLINED, NOT_REVERSIBLE, 0, 0, 0, 0 end
  if o[14] ~= '0' then return DECLINED, ALREADY_REVERSED, 0, 0, 0, 0 end
  o[14] = txn
  redis.call('SET', okey, table.concat(o, '|'), 'KEEPTTL')
  if tonumber(o[3]) == DECLINED then return APPROVED, 0, NOTHING_TO_REVERSE, 0, 0, 0 end
  local moved = tonumber(o[10])
  h.pu = h.pu + moved
  if tonumber(o[13]) == day and h.dd == day then h.ds = h.ds - moved end
  return APPROVED, 0, REFUNDED, moved, o[12], 0
end

local function funding(h, kind, amount, pre, aux)
  if pre ~= 0 then return DECLINED, pre, 0, 0, 0, 0 end
  if not h then return DECLINED, UNKNOWN_PERSON, 0, 0, 0, 0 end
  if h.st == CLOSED then return DECLINED, ACCOUNT_CLOSED, 0, 0, 0, 0 end
  if kind == TRANSFER then
    local from, to = 'pu', 'ew'
    if aux == 2 then from, to = 'ew', 'pu' end
    if h[from] < amount then return DECLINED, INSUFFICIENT, 0, 0, 0, 0 end
    h[from], h[to] = h[from] - amount, h[to] + amount
  else
    h.pu = h.pu + amount
  end
  return APPROVED, 0, 0, amount, 0, 0
end

local out, outbox, decided = { '' }, {}, 0
local n = (#KEYS - 2) / 3
for i = 1, n do
  local hkey, rkey, okey = KEYS[3 * i], KEYS[3 * i + 1], KEYS[3 * i + 2]
  local a = base + (i - 1) * 7
  local kind, fp, amount = tonumber(ARGV[a + 1]), ARGV[a + 2], tonumber(ARGV[a + 3])
  local pre, aux, merchant, payload = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5]), ARGV[a + 6], ARGV[a + 7]
  local prior = redis.call('GET', rkey)
  -- A tombstone only stops a late debit; a request of another kind under that id is decided as usual.
  local tomb = prior and prior:sub(1, 2) == 'T|'
  if tomb and kind ~= DEBIT then prior, tomb = nil, false end
  if prior and not tomb then
    if split(prior)[2] == fp then out[i + 1] = 'R|' .. prior else out[i + 1] = 'C' end
  else
    seq = seq + 1
    local txn = fmt('%d', seq)
    local h = holder(hkey)
    local outcome, reason, effect, moved, m, rv
    if kind == DEBIT then
      outcome, reason, effect, moved, m, rv = debit(h, amount, pre, aux, merchant, tomb and prior)
    elseif kind == REVERSAL then
      outcome, reason, effect, moved, m, rv = reversal(h, pre, okey, txn)
    else
      outcome, reason, effect, moved, m, rv = funding(h, kind, amount, pre, aux)
    end
    if outcome == APPROVED and h then changed[hkey] = h end
    local b = h or NOBODY
    local rec = fmt('%d|%s|%d|%d|%s|%d|%d|%d|%d|%d|%s|%d|%s|%d',
      kind, fp, outcome, reason, txn, b.pu, b.ew, b.pe, effect, moved, now, m, dayText, rv)
    redis.call('SET', rkey, rec, 'EX', ttl)
    out[i + 1] = 'N|' .. rec
    outbox[#outbox + 1] = payload
    outbox[#outbox + 1] = rec
    decided = decided + 1
  end
end

for key, h in pairs(changed) do save(key, h) end
if decided > 0 then
  redis.call('SET', KEYS[1], fmt('%d', seq))
  out[1] = redis.call('XADD', KEYS[2], '*', unpack(outbox))
end
return out
