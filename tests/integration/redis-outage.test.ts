// Redis goes away and comes back: the API answers 503 with a clear error at once instead of
// hanging or crashing, and serves again as soon as Redis is back, without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let api: ApiProcess;

beforeAll(async () => {
  stack = await startStack({ prefix: 'outage' });
  ({ api } = stack);
});

afterAll(() => stack?.stop());

const createJob = () =>
  fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review' }),
    signal: AbortSignal.timeout(5_000),
  });

describe('Redis outage', () => {
  it('answers 503 UNAVAILABLE while Redis is down, then 201 once it is back, with the same API process', async () => {
    expect((await createJob()).status).toBe(201);
    await stack.redis.stop();

    const down = await createJob();
    expect(down.status).toBe(503);
    expect((await down.json()).error).toEqual({ code: 'UNAVAILABLE', message: 'Redis is not reachable; try again shortly' });
    const health = await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'degraded', redis: 'down' });

    stack.redis = await startRedis({ port: stack.redis.port });
    await expect.poll(async () => (await createJob()).status, { timeout: 15_000, interval: 250 }).toBe(201);
    expect(api.proc.exitCode).toBeNull();
  });
});
