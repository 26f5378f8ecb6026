// Cancel and retry refused for a job in the wrong state or gone, through `app.handle`: each answers
// its status, its error code and a message naming the job and why, and leaves the job as it was.
import type { ErrorBody, JobSummary } from '@headway/progress';
import { type Job, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessApi, inProcessApi } from '../../../../tests/support/in-process-api.ts';
import { type RedisHandle, startRedis } from '../../../../tests/support/redis-server.ts';

let redis: RedisHandle;
let api: InProcessApi;
/** Takes jobs by hand (no processor runs): a job is active until the test completes it. */
let worker: Worker;

beforeAll(async () => {
  redis = await startRedis();
  api = await inProcessApi(redis, 'actions');
  const { keys } = api.services;
  worker = new Worker(keys.queueName, null, { connection: { url: redis.url }, prefix: keys.queuePrefix, autorun: false });
});

afterAll(async () => {
  await worker?.close();
  await api?.stop();
  await redis?.stop();
});

async function refusal(res: Response): Promise<{ status: number } & ErrorBody['error']> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, ...body.error };
}

/** A job created through the API, then taken by the worker: active, and completed when asked. */
async function activeJob(): Promise<{ id: string; job: Job; token: string }> {
  const created = await api.request('/api/jobs', { method: 'POST', json: { pipeline: 'literature-review' } });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as JobSummary;
  const token = `test-${id}`;
  const job = (await worker.getNextJob(token)) as Job;
  expect(job.id).toBe(id);
  return { id, job, token };
}

const stateOf = (id: string) => api.services.queue.getJobState(id);

describe('POST /api/jobs/:id/cancel', () => {
  it('answers 409 CONFLICT naming the job and its end for a job that has completed, and leaves it completed', async () => {
    const { id, job, token } = await activeJob();
    await job.moveToCompleted({ done: true }, token, false);
    const res = await api.request(`/api/jobs/${id}/cancel`, { method: 'POST' });
    expect(await refusal(res)).toEqual({
      status: 409,
      code: 'CONFLICT',
      message: `Job ${id} has already completed; only a waiting or running job can be cancelled`,
    });
    expect(await stateOf(id)).toBe('completed');
  });

  it('answers 404 JOB_NOT_FOUND naming the id of a job that does not exist', async () => {
    const res = await api.request('/api/jobs/999999/cancel', { method: 'POST' });
    expect(await refusal(res)).toEqual({ status: 404, code: 'JOB_NOT_FOUND', message: 'No job with id "999999"' });
  });

  it('refuses a reason of the wrong type with 422 naming the field, and the job goes on', async () => {
    const { id } = await activeJob();
    const res = await api.request(`/api/jobs/${id}/cancel`, { method: 'POST', json: { reason: 42 } });
    expect(await refusal(res)).toMatchObject({ status: 422, code: 'VALIDATION', message: expect.stringMatching(/^\/reason: /) });
    expect(await stateOf(id)).toBe('active');
  });
});

describe('POST /api/jobs/:id/retry', () => {
  it('answers 409 CONFLICT naming the job and its status for a job still running, and leaves it running', async () => {
    const { id } = await activeJob();
    const res = await api.request(`/api/jobs/${id}/retry`, { method: 'POST' });
    expect(await refusal(res)).toEqual({
      status: 409,
      code: 'CONFLICT',
      message: `Job ${id} is active; only a failed or cancelled job can be retried`,
    });
    expect(await stateOf(id)).toBe('active');
    // No `retrying` event was written for it.
    expect(await api.services.stream.range(id, '0', 100)).toEqual([]);
  });

  it('answers 404 JOB_NOT_FOUND naming the id of a job that does not exist', async () => {
    const res = await api.request('/api/jobs/999999/retry', { method: 'POST' });
    expect(await refusal(res)).toEqual({ status: 404, code: 'JOB_NOT_FOUND', message: 'No job with id "999999"' });
  });
});
