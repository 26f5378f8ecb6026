// A job's history routes refusing what they cannot answer, through `app.handle`.
import type { ErrorBody } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessApi, inProcessApi } from '../../../../tests/support/in-process-api.ts';
import { type RedisHandle, startRedis } from '../../../../tests/support/redis-server.ts';

let redis: RedisHandle;
let api: InProcessApi;
let jobId: string;

beforeAll(async () => {
  redis = await startRedis();
  api = await inProcessApi(redis, 'events');
  const created = await api.request('/api/jobs', { method: 'POST', json: { pipeline: 'literature-review' } });
  jobId = ((await created.json()) as { id: string }).id;
});

afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

async function refusal(res: Response): Promise<{ status: number } & ErrorBody['error']> {
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, ...body.error };
}

describe('GET /api/jobs/:id/events', () => {
  it('answers 404 JOB_NOT_FOUND naming the id of a job that does not exist', async () => {
    for (const path of ['/api/jobs/424242/events', '/api/jobs/424242/logs']) {
      expect(await refusal(await api.request(path)), path).toEqual({
        status: 404,
        code: 'JOB_NOT_FOUND',
        message: 'No job with id "424242"',
      });
    }
  });

  it('refuses a cursor it cannot read and a search it cannot parse with 422 naming the parameter', async () => {
    const cursor = await refusal(await api.request(`/api/jobs/${jobId}/events?after=garbage`));
    expect(cursor).toMatchObject({ status: 422, code: 'VALIDATION', message: expect.stringMatching(/^\/after: /) });
    const search = await refusal(await api.request(`/api/jobs/${jobId}/events?q=${encodeURIComponent('/(/')}`));
    expect(search).toMatchObject({ status: 422, code: 'VALIDATION', message: expect.stringMatching(/^q: /) });
  });

  it('answers a job with no events yet with an empty page', async () => {
    const res = await api.request(`/api/jobs/${jobId}/events`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ entries: [], total_matched: 0 });
  });
});
