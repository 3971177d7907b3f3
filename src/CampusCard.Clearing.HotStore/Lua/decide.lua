-- decide.lua: decides a partition's share of a batch atomically and appends the decided ones to the partition's outbox.
-- It is the body of the function the hot store calls (FCALL; Internal/RedisFunctionLibrary.cs), in a library whose
-- definitions are the generated prelude (codes, pack/unpack of the layouts in Internal/Layouts.cs), the deciders'
-- shared functions (lib/*.lua) and the kinds' deciders (kinds/*.lua), which fill DECIDE[KIND.X] with
-- function(h, q, c) -> outcome, reason, effect, moved, merchant. h is the holder (nil when there is none), which the
-- decider may change; q the request (pack_request); c.txn, c.now, c.day, c.ttl, c.okey (the record key of the original
-- a kind acts on: a reversal's debit, a settle's hold) and c.tomb (the tombstone at the request's key). A decider that
-- creates a holder sets c.holder; one that changes more than the balances and the day's spend, approved or declined,
-- sets c.state: the holder is then written, and goes to the journal with the decision (the outbox value is the record
-- followed by pack_holder). c.side is what moved on the kind's side legs, c.deadline a hold's deadline.
--
-- Every key is the partition's (its hash tag: one Redis Cluster slot).
-- KEYS[1]  the partition's sequence: the last it handed out; missing while its hot state is incomplete, "fenced" once an
--          instance found it lost writes (IHotStore.FenceAsync), until it is rebuilt. A transaction's
--          id is its sequence times ID_SLOTS plus the partition (Domain/Partitioning.cs, TransactionIds)
-- KEYS[2]  the partition's outbox stream
-- then three keys per request i (i = 1..n):
--   KEYS[3i]    the holder (pack_holder), or where it would be
--   KEYS[3i+1]  the request's idempotency record (pack_record)
--   KEYS[3i+2]  a reversal's original's record, else the request's record again
--
-- ARGV[1]  now, unix milliseconds          ARGV[2]  business day number
-- ARGV[3]  record ttl, seconds             ARGV[4]  high water: the highest sequence the caller saw in the partition
-- ARGV[5]  how long an auto top-up request stays open, milliseconds
-- ARGV[6]  the partition
-- ARGV[7]  a, then ARGV[8 .. 7+a]: outbox ids now in the journal, removed here
-- then j, then j pairs (key index, record): what the journal holds under those keys, written where a key is
--   missing (a record that expired or was lost), so a retry gets the first answer for ever
-- then two per request: the request (pack_request) and its journal payload (opaque, copied into the outbox)
--
-- Returns { outbox id or "", then per request "N" .. record decided now (and the holder after it, as in the
-- outbox), "R" .. record a retry, or "C" a request id reused for different content }. Fails, before changing anything, with NOTREADY when the hot state is not
-- complete, FENCED when an instance found it lost writes, and with LOSTWRITES when its sequence is behind the high water
-- or a holder the engine knows is missing: the caller rebuilds the hot state from the journal before deciding anything.

local seq = redis.call('GET', KEYS[1])
if not seq then
  return redis.error_reply('NOTREADY the hot state is not complete; it is rebuilt from the journal')
end
seq = tonumber(seq)
if not seq then
  return redis.error_reply('FENCED the partition is fenced: an instance found it lost writes; it is rebuilt from the journal')
end
if seq < tonumber(ARGV[4]) then
  return redis.error_reply('LOSTWRITES sequence ' .. seq .. ' is behind ' .. ARGV[4])
end

local now, day, ttl, auto_lifetime, partition = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[5]), tonumber(ARGV[6])
local acks = tonumber(ARGV[7])
local p = 8 + acks
local hints = tonumber(ARGV[p])
local n = (#KEYS - 2) / 3
local first = p + 2 * hints + 1

-- The checks come before any write: a script that fails half way keeps what it wrote.
local holders, requests = {}, {}
for i = 1, n do
  local q = unpack_request(ARGV[first + 2 * (i - 1)])
  requests[i] = q
  local key = KEYS[3 * i]
  if holders[key] == nil then
    local v = redis.call('GET', key)
    holders[key] = v and unpack_holder(v) or false
  end
  if not holders[key] and q.known == 1 then
    return redis.error_reply('LOSTWRITES the hot state of a known holder is missing: ' .. key)
  end
end

if acks > 0 then redis.call('XDEL', KEYS[2], unpack(ARGV, 8, 7 + acks)) end
for j = 1, hints do
  redis.call('SET', KEYS[tonumber(ARGV[p + 2 * j - 1])], ARGV[p + 2 * j], 'NX', 'EX', ttl)
end

local out, outbox, changed, decided = { '' }, {}, {}, 0
for i = 1, n do
  local hkey, rkey, okey = KEYS[3 * i], KEYS[3 * i + 1], KEYS[3 * i + 2]
  local q = requests[i]
  local prior = redis.call('GET', rkey)
  local pr = prior and unpack_record(prior)
  -- A tombstone only stops a late debit; a request of another kind under that id is decided as usual.
  local tomb = pr and pr.kind == TOMBSTONE
  if tomb and q.kind ~= KIND.DEBIT then pr, tomb = nil, false end
  if pr and not tomb then
    if pr.fp == q.fp then out[i + 1] = 'R' .. prior else out[i + 1] = 'C' end
  else
    seq = seq + 1
    local h = holders[hkey] or nil
    local c = { txn = seq * ID_SLOTS + partition, now = now, day = day, ttl = ttl, okey = okey, tomb = tomb and pr or nil, side = 0, deadline = 0 }
    local purse_before = h and h.purse
    local closed_before = h and h.closed == 1 and balances_of(h)
    local outcome, reason, effect, moved, merchant = DECIDE[q.kind](h, q, c)
    if c.holder then
      h = c.holder
      holders[hkey] = h
    end
    if closed_before then keep_closed(h, closed_before) end
    if h and outcome == OUTCOME.APPROVED and purse_before then
      if h.purse < purse_before then ask_auto_top_up(h, c, auto_lifetime) end
      settle_overdraft(h, c, purse_before)
    end
    if h and (outcome == OUTCOME.APPROVED or c.state) then changed[hkey] = h end
    local b = h or { id = 0, purse = 0, wallet = 0, pending = 0, held = 0 }
    local rec = pack_record({
      kind = q.kind, fp = q.fp, outcome = outcome, reason = reason, txn = c.txn, holder = b.id,
      purse = b.purse, wallet = b.wallet, pending = b.pending, effect = effect, moved = moved, ts = now,
      merchant = merchant, day = day, rv = tomb and pr.rv or 0, state = presented_state(h, reason),
      held = b.held, side = c.side, deadline = c.deadline, undone = 0, code = q.code })
    redis.call('SET', rkey, rec, 'EX', ttl)
    local decided_rec = c.state and h and rec .. pack_holder(h) or rec
    out[i + 1] = 'N' .. decided_rec
    outbox[#outbox + 1] = ARGV[first + 2 * (i - 1) + 1]
    outbox[#outbox + 1] = decided_rec
    decided = decided + 1
  end
end

-- A batch often holds several requests of one holder (a popular card at lunch): each holder is read once,
-- changed in place by its decisions, and written once, after the last of them.
for key, h in pairs(changed) do redis.call('SET', key, pack_holder(h)) end
if decided > 0 then
  redis.call('SET', KEYS[1], string.format('%d', seq))
  out[1] = redis.call('XADD', KEYS[2], '*', unpack(outbox))
end
return out
