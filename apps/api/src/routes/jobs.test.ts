// The jobs routes' refusals, through `app.handle`: each answers its status, its error code and a
// message naming what was refused, and nothing is created.
import type { ErrorBody } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessApi, inProcessApi } from '../../../../tests/support/in-process-api.ts';
import { type RedisHandle, startRedis } from '../../../../tests/support/redis-server.ts';

let redis: RedisHandle;
let api: InProcessApi;
let guarded: InProcessApi;
const TOKEN = 'route-test-token';

beforeAll(async () => {
  redis = await startRedis();
  [api, guarded] = await Promise.all([inProcessApi(redis, 'routes-open'), inProcessApi(redis, 'routes-token', { apiToken: TOKEN })]);
});

afterAll(async () => {
  await Promise.all([api?.stop(), guarded?.stop()]);
  await redis?.stop();
});

/** The response's status and error body. */
async function refusal(res: Response): Promise<{ status: number } & ErrorBody['error']> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as ErrorBody;
  return { status: res.status, ...body.error };
}

const jobCount = async (target: InProcessApi) => Object.values(await target.services.queue.getJobCounts()).reduce((a, b) => a + b, 0);

describe('POST /api/jobs', () => {
  it('refuses a body of the wrong shape with 422 VALIDATION naming the field', async () => {
    const res = await api.request('/api/jobs', { method: 'POST', json: { pipeline: 5 } });
    expect(await refusal(res)).toMatchObject({ status: 422, code: 'VALIDATION', message: expect.stringMatching(/^\/pipeline: /) });
    const unknownField = await api.request('/api/jobs', { method: 'POST', json: { pipeline: 'literature-review', colour: 'red' } });
    expect(await refusal(unknownField)).toMatchObject({ status: 422, code: 'VALIDATION', message: expect.stringContaining('colour') });
    expect(await jobCount(api)).toBe(0);
  });

  it("refuses input the pipeline's schema rejects with 422 naming the pipeline and the field", async () => {
    const res = await api.request('/api/jobs', {
      method: 'POST',
      json: { pipeline: 'literature-review', input: { runMode: 'SOMETIMES' } },
    });
    const error = await refusal(res);
    expect(error).toMatchObject({ status: 422, code: 'VALIDATION' });
    expect(error.message).toMatch(/^Invalid input for literature-review: .*runMode/);
    expect(await jobCount(api)).toBe(0);
  });

  it('answers 404 UNKNOWN_PIPELINE naming the pipeline asked for and the known ones', async () => {
    const res = await api.request('/api/jobs', { method: 'POST', json: { pipeline: 'no-such-pipeline' } });
    const error = await refusal(res);
    expect(error).toMatchObject({ status: 404, code: 'UNKNOWN_PIPELINE' });
    expect(error.message).toMatch(/^Unknown pipeline "no-such-pipeline"; known: .*literature-review/);
    expect(await jobCount(api)).toBe(0);
  });

  it('answers 403 FORBIDDEN naming the Origin of a page on another site', async () => {
    const res = await api.request('/api/jobs', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      json: { pipeline: 'literature-review' },
    });
    expect(await refusal(res)).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Requests from https://evil.example are not allowed; add it to ALLOWED_ORIGINS',
    });
    expect(await jobCount(api)).toBe(0);
  });

  it('answers 401 UNAUTHORIZED naming the token when the API has one and the request does not carry it', async () => {
    const res = await guarded.request('/api/jobs', { method: 'POST', json: { pipeline: 'literature-review' } });
    const error = await refusal(res);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(error.message).toContain('Authorization: Bearer <API_TOKEN>');
    const wrong = await guarded.request('/api/jobs', { method: 'POST', headers: { authorization: 'Bearer nope' }, json: {} });
    expect((await refusal(wrong)).status).toBe(401);
    expect(await jobCount(guarded)).toBe(0);
    // The same request with the token is served: the 401 was the token's, not the route's.
    const allowed = await guarded.request('/api/jobs', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      json: { pipeline: 'literature-review' },
    });
    expect(allowed.status).toBe(201);
    expect(await jobCount(guarded)).toBe(1);
  });
});

describe('GET /api/jobs', () => {
  it('refuses a limit out of range with 422 naming it', async () => {
    const res = await api.request('/api/jobs?limit=0');
    expect(await refusal(res)).toMatchObject({ status: 422, code: 'VALIDATION', message: '/limit: an integer from 1 to 200' });
  });

  it('answers an empty page when there are no jobs', async () => {
    const res = await api.request('/api/jobs');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jobs: [], total: 0 });
  });
});

describe('GET /api/jobs/:id', () => {
  it('answers 404 JOB_NOT_FOUND naming the id, for an id never used and for one no job could have', async () => {
    expect(await refusal(await api.request('/api/jobs/12345'))).toEqual({
      status: 404,
      code: 'JOB_NOT_FOUND',
      message: 'No job with id "12345"',
    });
    const odd = await refusal(await api.request('/api/jobs/not%20an%20id'));
    expect(odd).toMatchObject({ status: 422, code: 'VALIDATION', message: expect.stringMatching(/^\/id: /) });
  });
});

describe('unknown routes', () => {
  it('answer 404 NOT_FOUND', async () => {
    expect(await refusal(await api.request('/api/nothing-here'))).toEqual({ status: 404, code: 'NOT_FOUND', message: 'No such route' });
  });
});
