-- Undoes a claimed retry whose move back to the queue failed: the job is failed still, so its
-- stream says so again (after the `retrying` event) and the same failure can be retried again.
-- KEYS[1] the job's retry claim, KEYS[2] its seq counter, KEYS[3] its event stream, KEYS[4] its
--         stall-reported attempt, KEYS[5] its artifact index, KEYS[6] its live channel, rung with
--         the event's id (one job's keys: one Redis Cluster slot)
-- ARGV[1] the failure whose claim is released (only if it is still the claimed one)
-- ARGV[2] approximate MAXLEN of the stream
-- ARGV[3] seconds until the job's keys expire again (its retention period), or 0 to leave them
-- ARGV[4] the status event's JSON without `seq`
-- Returns { id, seq } of the event.
local failure = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') == failure then
  redis.call('SET', KEYS[1], failure - 1, 'KEEPTTL')
end
local seq = redis.call('INCR', KEYS[2])
local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'seq', seq, 'e', ARGV[4])
redis.call('SPUBLISH', KEYS[6], id)
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
  for i = 4, 5 do
    if redis.call('EXISTS', KEYS[i]) == 1 then
      redis.call('EXPIRE', KEYS[i], ttl)
    end
  end
end
return { id, seq }
