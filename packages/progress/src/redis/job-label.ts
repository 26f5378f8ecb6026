// A job's display label, kept beside its data in BullMQ's hash (JOB_LABEL_FIELD) so that job lists
// read it without loading the job's input.
import { readFileSync } from 'node:fs';
import type { RedisClient } from './redis-connection.ts';
import { JOB_LABEL_FIELD } from './redis-keys.ts';

const labelScript = readFileSync(new URL('./scripts/label-job-1.lua', import.meta.url), 'utf8');

type WithLabel = RedisClient & { hwLabelJob(jobKey: string, field: string, label: string): Promise<number> };

/** Writes the label of the job whose hash is `jobKey`; false when the job is gone. */
export async function writeJobLabel(redis: RedisClient, jobKey: string, label: string): Promise<boolean> {
  if (!('hwLabelJob' in redis)) redis.defineCommand('hwLabelJob', { numberOfKeys: 1, lua: labelScript });
  return (await (redis as WithLabel).hwLabelJob(jobKey, JOB_LABEL_FIELD, label)) === 1;
}
