-- Extends a lease (a key set with SET NX PX) only while the caller still holds it.
-- KEYS[1] the lease
-- ARGV[1] the holder's token, ARGV[2] the new time to live in milliseconds
-- Returns 1 when extended, 0 when the lease expired or another holder took it
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
