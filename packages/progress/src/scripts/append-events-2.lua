-- Appends events to a job's stream, giving each the next `seq` in the same atomic step.
-- KEYS[1] the job's seq counter, KEYS[2] the job's event stream
-- ARGV[1] approximate MAXLEN of the stream
-- ARGV[2] the last seq this writer was given (0 for none): after a Redis restart that lost the
--         newest writes, the counter restarts above it, so a seq is never given twice
-- ARGV[3..n] event JSON without `seq`
-- Returns a flat array: the counter as found, then id1, seq1, id2, seq2, …
local found = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[2])
if found < floor then
  redis.call('SET', KEYS[1], floor)
end
local out = { found }
for i = 3, #ARGV do
  local seq = redis.call('INCR', KEYS[1])
  local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'seq', seq, 'e', ARGV[i])
  out[#out + 1] = id
  out[#out + 1] = seq
end
return out
