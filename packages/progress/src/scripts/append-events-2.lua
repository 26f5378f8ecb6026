-- Appends events to a job's stream, giving each the next `seq` in the same atomic step.
-- KEYS[1] the job's seq counter, KEYS[2] the job's event stream
-- ARGV[1] approximate MAXLEN of the stream, ARGV[2..n] event JSON without `seq`
-- Returns a flat array: id1, seq1, id2, seq2, …
local out = {}
for i = 2, #ARGV do
  local seq = redis.call('INCR', KEYS[1])
  local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'seq', seq, 'e', ARGV[i])
  out[#out + 1] = id
  out[#out + 1] = seq
end
return out
