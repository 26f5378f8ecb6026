-- Appends events to a job's stream, giving each the next `seq` in the same atomic step.
-- KEYS[1] the job's seq counter, KEYS[2] the job's event stream, KEYS[3] the highest attempt whose
--         stall was reported (a stall may be noticed by several writers; only the first reports it),
--         KEYS[4] the job's artifact index: one item `id \n seq \n event` per artifact event, so
--         its artifacts are listed without reading the whole stream (and are never trimmed from it),
--         KEYS[5] the job's live channel: rung (SPUBLISH) with the newest id, so relays watching the
--         job read it at once. A KEY so it hashes with the job: a cross-slot SPUBLISH in a script
--         reaches nobody on a cluster, silently
--         KEYS[6] the job's recent batches (hash: batch id → this script's reply), so a batch sent
--         again after its reply was lost (a failover, a dropped connection) is written once
--         KEYS[7] the job's cancel request, read when ARGV[10] is 1
-- ARGV[1] approximate MAXLEN of the stream
-- ARGV[2] the last seq this writer was given (0 for none): after a Redis restart or failover that
--         lost the newest writes, the counter restarts above it, so a seq is never given twice
-- ARGV[3] seconds until the keys expire (the job has ended), or 0 to leave them
-- ARGV[4] the events' JSON without `seq`, one a line (JSON has no raw newline): one argument
--         instead of one each is most of what the client spends on a batch
-- ARGV[5] 0, or the attempt whose stall the first ARGV[6] events report: they are written only
--         if no writer reported that attempt's stall before
-- ARGV[7] the 1-based positions of artifact events among ARGV[4]'s, space-separated, or ''
-- ARGV[8] this batch's id, or '' for a writer that does not retry
-- ARGV[9] the id of this writer's previous batch, acknowledged so never sent again: forgotten, or ''
-- ARGV[10] 1: write nothing if the job has a cancel request (the first batch of an attempt)
-- ARGV[11] the id of the last entry this writer was given, or '': when writes were lost, the
--          stream's ids go on after it, so a viewer resuming from it skips nothing new
-- Returns a flat array: the counter as found, the cancel request's reason when ARGV[10] is 1 and
-- there is one (then nothing was written) or '', then id1, seq1, id2, seq2, … ('' and 0 for an
-- event left out). A batch id seen before returns the reply it got then, and writes nothing.
if ARGV[8] ~= '' then
  local seen = redis.call('HGET', KEYS[6], ARGV[8])
  if seen then
    return cjson.decode(seen)
  end
end
local found = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[10] == '1' then
  local reason = redis.call('GET', KEYS[7])
  if reason then
    return { found, reason }
  end
end
local floor = tonumber(ARGV[2])
-- After lost writes, the stream's newest id may sit below ids viewers already hold (a new master
-- whose clock is behind): the first new entry then takes the id just after the writer's last.
local nextId = '*'
if found < floor then
  redis.call('SET', KEYS[1], floor)
  if ARGV[11] ~= '' then
    local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
    local ms, sq = string.match(ARGV[11], '^(%d+)-(%d+)$')
    local behind = newest == nil
    if newest then
      local nms, nsq = string.match(newest[1], '^(%d+)-(%d+)$')
      behind = tonumber(nms) < tonumber(ms) or (nms == ms and tonumber(nsq) <= tonumber(sq))
    end
    if behind and ms then
      nextId = ms .. '-' .. (tonumber(sq) + 1)
    end
  end
end
local skip = 0
local stalled = tonumber(ARGV[5])
if stalled > 0 then
  if tonumber(redis.call('GET', KEYS[3]) or '0') >= stalled then
    skip = tonumber(ARGV[6])
  else
    redis.call('SET', KEYS[3], stalled)
  end
end
local artifacts = {}
for position in string.gmatch(ARGV[7], '%d+') do
  artifacts[tonumber(position)] = true
end
local out = { found, '' }
local n = 0
local last
for event in string.gmatch(ARGV[4], '[^\n]+') do
  n = n + 1
  if n <= skip then
    out[#out + 1] = ''
    out[#out + 1] = 0
  else
    local seq = redis.call('INCR', KEYS[1])
    local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], nextId, 'seq', seq, 'e', event)
    nextId = '*'
    if artifacts[n] then
      redis.call('RPUSH', KEYS[4], id .. '\n' .. seq .. '\n' .. event)
    end
    out[#out + 1] = id
    out[#out + 1] = seq
    last = id
  end
end
if last then
  redis.call('SPUBLISH', KEYS[5], last)
end
if ARGV[8] ~= '' then
  if ARGV[9] ~= '' then
    redis.call('HDEL', KEYS[6], ARGV[9])
  end
  redis.call('HSET', KEYS[6], ARGV[8], cjson.encode(out))
  -- Long past any retry of a batch, short enough that an abandoned writer's entry goes.
  redis.call('EXPIRE', KEYS[6], 600)
end
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  for i = 3, 4 do
    if redis.call('EXISTS', KEYS[i]) == 1 then
      redis.call('EXPIRE', KEYS[i], ttl)
    end
  end
end
return out
