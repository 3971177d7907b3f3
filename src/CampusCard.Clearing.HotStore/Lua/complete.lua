-- complete.lua: the last step of a rebuild from the journal, done only if the rebuild's marker is still there.
-- A flush (or another rebuild) on the way removed or replaced it: then the keys written so far are not the whole
-- hot state, nothing is marked complete, and the rebuild starts again.
-- KEYS[1] the rebuild's marker, KEYS[2] the transaction sequence
-- ARGV[1] this rebuild's id, ARGV[2] the sequence to set
-- Returns 1 when the hot state is now complete, 0 when the rebuild must start again.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
