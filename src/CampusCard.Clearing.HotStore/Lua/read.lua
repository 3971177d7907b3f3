-- read.lua: a holder's hot state, refused when the hot state cannot be trusted, as decide.lua refuses to decide.
-- KEYS[1] the holder's partition's sequence, KEYS[2] the holder
-- ARGV[1] high water: the highest sequence the caller saw in the partition, ARGV[2] 1 when the engine knows this holder exists
-- Returns the holder (pack_holder) or nil; fails with NOTREADY, FENCED or LOSTWRITES.
local seq = redis.call('GET', KEYS[1])
if not seq then return redis.error_reply('NOTREADY the hot state is not complete; it is rebuilt from the journal') end
if not tonumber(seq) then return redis.error_reply('FENCED the partition is fenced: an instance found it lost writes; it is rebuilt from the journal') end
if tonumber(seq) < tonumber(ARGV[1]) then return redis.error_reply('LOSTWRITES sequence ' .. seq .. ' is behind ' .. ARGV[1]) end
local holder = redis.call('GET', KEYS[2])
if not holder and ARGV[2] == '1' then return redis.error_reply('LOSTWRITES the hot state of a known holder is missing: ' .. KEYS[2]) end
return holder
