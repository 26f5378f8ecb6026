-- Takes a job that waits to run (in the wait, paused, prioritized or delayed set) and puts it in
-- the active list without a lock, so that BullMQ's own moveToFinished (token "0") can fail it:
-- that script only finishes active jobs. No worker can fetch the job in between.
-- KEYS[1] BullMQ's wait list, KEYS[2] paused list, KEYS[3] prioritized zset, KEYS[4] delayed zset,
-- KEYS[5] active list (all one queue's, so one Redis Cluster slot)
-- ARGV[1] the job id
-- Returns 1 when the job was waiting and is now in the active list, else 0.
local id = ARGV[1]
local taken = redis.call('LREM', KEYS[1], 0, id) > 0
  or redis.call('LREM', KEYS[2], 0, id) > 0
  or redis.call('ZREM', KEYS[3], id) > 0
  or redis.call('ZREM', KEYS[4], id) > 0
if not taken then
  return 0
end
redis.call('LPUSH', KEYS[5], id)
return 1
