// A job read across its finish: the API reads a job's hash and then its state, and a worker may
// finish the job in between. The answer must be of one moment: finished with its result and
// finish time, never "completed" with a running job's fields.
import { createRedis, type JobData } from '@headway/progress';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../../../tests/support/redis-server.ts';
import { toJobDetail, toJobSummary } from './job-summary.ts';

let redis: RedisHandle;
let connection: Redis;
let queue: Queue;
let worker: Worker;

beforeAll(async () => {
  redis = await startRedis();
  connection = createRedis(redis.url, 'blocking');
  queue = new Queue('jobs', { connection, prefix: 'summary-test' });
  worker = new Worker('jobs', null, { connection: createRedis(redis.url, 'blocking'), prefix: 'summary-test', autorun: false });
});

afterAll(async () => {
  await worker?.close();
  await queue?.close();
  connection?.disconnect();
  await redis?.stop();
});

/** A job's hash as read while it runs, after which the worker finishes it. */
async function readThenFinish(end: 'complete' | 'fail'): Promise<Job<JobData>> {
  const added = await queue.add('literature-review', { input: {} } as JobData, { attempts: 1 });
  const token = `token-${added.id}`;
  const active = await worker.getNextJob(token);
  expect(active?.id).toBe(added.id);
  const stale = (await queue.getJob(added.id!)) as Job<JobData>;
  if (end === 'complete') await active!.moveToCompleted({ summary: { iterations: 3 } }, token, false);
  else await active!.moveToFailed(new Error('stage judge failed'), token, false);
  return stale;
}

describe('a job read across its finish', () => {
  it('is answered completed with its result and finish time, not with the fields it had while running', async () => {
    const stale = await readThenFinish('complete');
    expect(stale.finishedOn).toBeUndefined();
    const detail = await toJobDetail(queue, stale);
    expect(detail.status).toBe('completed');
    expect(detail.result).toEqual({ summary: { iterations: 3 } });
    expect(detail.finishedAt).toBeDefined();
  });

  it('is summarised failed with its reason and finish time', async () => {
    const stale = await readThenFinish('fail');
    const summary = await toJobSummary(queue, stale);
    expect(summary.status).toBe('failed');
    expect(summary.failedReason).toBe('stage judge failed');
    expect(summary.finishedAt).toBeDefined();
  });
});
