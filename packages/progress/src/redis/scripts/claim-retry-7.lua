-- Claims the retry of one failure of a job and writes its `retrying` event in the same atomic
-- step: of concurrent retries of that failure only one is claimed (the others are refused), and
-- the event is in the stream before the move back to the queue, so before the next attempt's.
-- KEYS[1] the job's retry claim (the newest failure whose retry was claimed), KEYS[2] its seq
--         counter, KEYS[3] its event stream, KEYS[4] its stall-reported attempt, KEYS[5] its
--         cancel request, KEYS[6] its artifact index, KEYS[7] its live channel, rung with the
--         event's id (one job's keys: one Redis Cluster slot; BullMQ's are not touched here)
-- ARGV[1] the failure to retry: BullMQ's attemptsMade as the caller read it (it grows by one
--         every time the job lands in the failed set, a cancel included)
-- ARGV[2] seconds the claim is kept (longer than any request that could still act on it)
-- ARGV[3] approximate MAXLEN of the stream
-- ARGV[4] the retrying event's JSON without `seq`
-- Returns { id, seq } of the event, or an empty array when that failure's retry was claimed before.
local failure = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') >= failure then
  return {}
end
redis.call('SET', KEYS[1], failure, 'EX', ARGV[2])
-- The job runs again: its history stays until its new end starts the retention period anew, and
-- a cancel asked of an earlier attempt does not reach the new one.
redis.call('PERSIST', KEYS[2])
redis.call('PERSIST', KEYS[3])
redis.call('PERSIST', KEYS[4])
redis.call('PERSIST', KEYS[6])
redis.call('DEL', KEYS[5])
local seq = redis.call('INCR', KEYS[2])
local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'seq', seq, 'e', ARGV[4])
redis.call('SPUBLISH', KEYS[7], id)
return { id, seq }
