-- advance.lua: lifts an idle partition's sequence to where the others are, so that the transaction ids it hands out next
-- are above theirs and "everything up to an id is journaled" can move on while it idles (Engine: JournaledThroughAsync).
-- KEYS[1] the partition's sequence
-- ARGV[1] the sequence to lift it to
-- Returns the sequence after, or nil while the partition's hot state is incomplete or fenced (it is rebuilt first).
local seq = redis.call('GET', KEYS[1])
if not tonumber(seq) then return nil end
if tonumber(seq) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return tonumber(ARGV[1])
end
return tonumber(seq)
