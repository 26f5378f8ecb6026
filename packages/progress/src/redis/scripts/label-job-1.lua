-- Writes a job's display label beside its data in BullMQ's hash, only while the job exists: a job
-- removed meanwhile must not come back as a hash holding nothing but its label.
-- KEYS[1] the job's hash (BullMQ's <prefix>:<queue>:<id>)
-- ARGV[1] the field (JOB_LABEL_FIELD), ARGV[2] the label ('' for none)
-- Returns 1 when written, 0 when the job is gone.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
