-- restore.lua: writes a chunk of a partition's hot state rebuilt from the journal, only while the rebuild's marker is
-- still this rebuild's. A rebuild begun after this one (which deleted the partition's keys and set its own marker) or a
-- flush removed or replaced it: then nothing of this chunk is written, and this rebuild starts again, so a rebuild from
-- an older snapshot never writes over a newer one.
-- KEYS[1] the rebuild's marker, KEYS[2..n] the keys to write (holders and records, all of the partition's slot)
-- ARGV[1] this rebuild's id, then for each key in KEYS[2..n]: its value, and its time to live in milliseconds (0: none)
-- Returns 1 when the chunk was written, 0 when the rebuild must start again.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 2, #KEYS do
  local value = ARGV[2 * i - 2]
  local ttl = tonumber(ARGV[2 * i - 1])
  if ttl > 0 then
    redis.call('SET', KEYS[i], value, 'PX', ttl)
  else
    redis.call('SET', KEYS[i], value)
  end
end
return 1
