-- lock_extend.lua: renews the repartition lock, only if this holder's value is still its value.
-- KEYS[1] the lock
-- ARGV[1] this holder's value, ARGV[2] the lock's lifetime from now, in milliseconds
-- Returns 1 when renewed, 0 when the lock had lapsed or is another's (it is not taken again).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
