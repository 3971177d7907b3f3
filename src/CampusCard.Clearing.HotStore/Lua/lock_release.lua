-- lock_release.lua: lets go of the repartition lock, only if this holder's value is still its value (another holder's,
-- taken after this one's lapsed, stays). One step on the node that holds it, instead of a client's WATCH/MULTI, which
-- Redis Cluster aborted now and then while the value was still this holder's.
-- KEYS[1] the lock
-- ARGV[1] this holder's value
-- Returns 1 when the lock was this holder's and is gone, 0 when it was not (lapsed, or another's).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
