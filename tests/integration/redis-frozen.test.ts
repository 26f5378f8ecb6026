// Redis frozen (SIGSTOP: connections stay open, nothing answers) or stopped (killed): health and
// creates answer 503 within a bound instead of hanging, a create with an Idempotency-Key can be
// retried without ever making a second job, one without a key that Redis runs late is cancelled, and
// a viewer (socket or `headway watch`) is told to come back, not that the job does not exist.
import { join } from 'node:path';
import { type JobSummary, jobIdForIdempotencyKey } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallInit, callApi, createJob } from '../support/call-api.ts';
import { startRedis } from '../support/redis-server.ts';
import { type Sentinel, sentinelOf } from '../support/sentinel.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { until } from '../support/until.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const root = join(import.meta.dirname, '../..');
/** REQUEST_COMMAND_TIMEOUT_MS (2 s) plus room for a busy machine. */
const CREATE_BOUND_MS = 3500;
const HEALTH_BOUND_MS = 1500;
/** Jobs that finish at once when the worker starts, so it stops at once afterwards. */
const QUICK = { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } };
const MAY_STILL_BE_CREATED = /^Redis did not answer in time; the job may still be created, as idem-/;
const WILL_BE_CANCELLED = /^Redis did not answer in time; if it creates the job later, that job is cancelled at once/;

let stack: TestStack;
let api: ApiProcess;
let sentinel: Sentinel;
/** Created before the outage, run only once Redis is back (no worker until then). */
let later: JobSummary;

beforeAll(async () => {
  // AOF, so a killed server comes back with its jobs.
  stack = await startStack({ prefix: 'frozen', redis: { aof: true } });
  ({ api } = stack);
  const job = await createJob(api.url, QUICK);
  expect((await call('POST', `/api/jobs/${job.id}/cancel`)).status).toBe(200);
  sentinel = await sentinelOf(api.url, job.id);
  later = await createJob(api.url, QUICK);
});

// A Redis left frozen by a failed test is killed all the same (SIGKILL ends a stopped process).
afterAll(() => stack?.stop());

const call = (method: string, path: string, init: CallInit = {}) => callApi(api.url, method, path, init);

const post = (body: unknown, key?: string, signal?: AbortSignal) =>
  call('POST', '/api/jobs', { body, ...(key && { headers: { 'idempotency-key': key } }), ...(signal && { signal }) });
const allJobIds = async (): Promise<string[]> =>
  ((await call('GET', '/api/jobs?limit=100')).body.jobs as JobSummary[]).map((j) => j.id).sort();

describe('Idempotency-Key on POST /api/jobs', () => {
  it('answers 201 with the job the key names, then 200 with the same job; never a second one', async () => {
    const before = await allJobIds();
    const first = await post(QUICK, 'order-0001');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: jobIdForIdempotencyKey('order-0001'), status: 'waiting' });
    const again = await post(QUICK, 'order-0001');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await allJobIds()).toEqual([...before, first.body.id].sort());
  });

  it('refuses a key used for another request (409) and a malformed key (422)', async () => {
    const other = await post({ ...QUICK, name: 'something else' }, 'order-0001');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CONFLICT');
    for (const key of ['x'.repeat(256), 'has space', 'brace{', 'é']) {
      const bad = await post(QUICK, key);
      expect(bad.status).toBe(422);
      expect(bad.body.error.code).toBe('VALIDATION');
    }
  });
});

describe('Redis frozen (SIGSTOP)', () => {
  it('answers /healthz 503 within 1.5 s and creates 503 within the command bound; after SIGCONT a retry with the same key returns the one job, and a keyless create Redis ran late ends cancelled, never run', async () => {
    const before = await allJobIds();
    stack.redis.pause();
    try {
      const health = await call('GET', '/healthz');
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'degraded', redis: 'down' });
      expect(health.ms).toBeLessThan(HEALTH_BOUND_MS);

      const [keyed, keyless, gaveUp, keylessGaveUp] = await Promise.all([
        post(QUICK, 'frozen-1'),
        post(QUICK),
        // Clients that give up long before the API does: their creates are sent to Redis all the same.
        post(QUICK, 'frozen-2', AbortSignal.timeout(300)).catch((error: Error) => error.name),
        post(QUICK, undefined, AbortSignal.timeout(300)).catch((error: Error) => error.name),
      ]);
      expect([gaveUp, keylessGaveUp]).toEqual(['TimeoutError', 'TimeoutError']);
      for (const answer of [keyed, keyless]) {
        expect(answer.status).toBe(503);
        expect(answer.ms).toBeLessThan(CREATE_BOUND_MS);
        expect(answer.body.error.code).toBe('UNAVAILABLE');
        expect(answer.body.error.message).toContain('Idempotency-Key');
      }
      expect(keyed.body.error.message).toMatch(MAY_STILL_BE_CREATED);
      expect(keyless.body.error.message).toMatch(WILL_BE_CANCELLED);
      expect(keyed.body.error.details).toEqual({ jobId: jobIdForIdempotencyKey('frozen-1') });
      expect(keyless.body.error.details).toBeUndefined();
    } finally {
      stack.redis.resume();
    }

    // What Redis was sent while frozen runs now: the keyed creates exist, and a retry says so.
    const retried = await post(QUICK, 'frozen-1');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: jobIdForIdempotencyKey('frozen-1'), status: 'waiting' });
    const abandoned = await post(QUICK, 'frozen-2');
    expect(abandoned.status).toBe(200);
    expect(abandoned.body.id).toBe(jobIdForIdempotencyKey('frozen-2'));
    expect((await post(QUICK, 'frozen-1')).status).toBe(200);

    // The guarantee: every new job is one a key names (so its client finds it by retrying), and no
    // key twice; the keyless creates Redis ran after their 503 end cancelled, saying why, and no
    // worker ever runs them.
    const keyedIds = [jobIdForIdempotencyKey('frozen-1'), jobIdForIdempotencyKey('frozen-2')];
    const addedOf = async () => (await allJobIds()).filter((id) => !before.includes(id));
    expect((await addedOf()).filter((id) => keyedIds.includes(id)).sort()).toEqual([...keyedIds].sort());
    const late = (await addedOf()).filter((id) => !keyedIds.includes(id));
    expect(late).toHaveLength(2);
    for (const id of late) {
      const job = await until(
        () => call('GET', `/api/jobs/${id}`),
        (res) => res.body.status === 'cancelled',
      );
      expect(job.body.failedReason).toBe(
        'Cancelled: Redis created it after its request had timed out, and the client was told it failed (503)',
      );
      const events = (await call('GET', `/api/jobs/${id}/events`)).body.entries as { event: { kind: string; status?: string } }[];
      expect(events.map(({ event }) => event.status)).toEqual(['cancelled']);
    }
    expect(api.output()).toMatch(/\[api\] job \d+ was created after its request had timed out \(503\); cancelling it/);

    const health = await call('GET', '/healthz');
    expect(health.status).toBe(200);
  });
});

describe('Redis stopped (killed)', () => {
  it('answers 503 at once, closes a viewer with 1013 (not 4404), and `headway watch` keeps retrying until it follows the job to its end', async () => {
    // AOF is written every second: let the jobs above reach the disk before the kill.
    await Bun.sleep(1100);
    await stack.redis.stop({ keepData: true });

    const health = await call('GET', '/healthz');
    expect(health.status).toBe(503);
    expect(health.ms).toBeLessThan(HEALTH_BOUND_MS);
    const create = await post(QUICK, 'stopped-1');
    expect(create.status).toBe(503);
    expect(create.ms).toBeLessThan(CREATE_BOUND_MS);
    // Never sent: nothing can be created later, and the message does not say it might.
    expect(create.body.error).toEqual({ code: 'UNAVAILABLE', message: 'Redis is not reachable; try again shortly' });

    const viewer = new ProgressClient(wsUrl(api.url, `/ws/jobs/${later.id}/progress`));
    await viewer.waitFor((c) => c.closed !== undefined, 5000);
    expect(viewer.closed?.code).toBe(1013);
    expect(viewer.messages).toEqual([
      { type: 'error', code: 'UNAVAILABLE', message: 'Redis is not reachable; reconnect shortly to resume' },
    ]);

    const watch = Bun.spawn([process.execPath, 'apps/cli/src/main.ts', 'watch', later.id], {
      cwd: root,
      env: { ...process.env, HEADWAY_API_URL: api.url, NO_COLOR: '' },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const stdout = new Response(watch.stdout).text();
    const stderr = new Response(watch.stderr).text();
    // Refused several times over (backoff from 0.5 s), and still watching.
    await Bun.sleep(2500);
    expect(watch.exitCode).toBeNull();

    stack.redis = await startRedis({ port: stack.redis.port, dir: stack.redis.dir, aof: true });
    await stack.addWorker();
    const code = await Promise.race([watch.exited, Bun.sleep(45_000).then(() => 'still running')]);
    if (code === 'still running') watch.kill();
    const out = await stdout;
    if (process.env.HW_TEST_VERBOSE) console.log(out);
    expect({ code, stderr: await stderr }).toEqual({ code: 0, stderr: '' });
    expect(out).not.toContain('No job with id');
    expect(out.match(/^⚠ the API says: Redis is not reachable; reconnect shortly to resume$/gm)).toHaveLength(1);
    expect(out).toMatch(/\(redis unavailable\), reconnecting…$/m);
    expect(out).toMatch(new RegExp(`^✔ job ${later.id} completed · 100 %`, 'm'));
    expect(out.match(/^reconnected$/gm)).toHaveLength(1);

    // The create that was refused outright was never made: its key makes it now.
    const retried = await post(QUICK, 'stopped-1');
    expect(retried.status).toBe(201);
  });
});

describe('the sentinel job', () => {
  it('is untouched by the outages: same summary, same events', async () => {
    await sentinel.expectUnchanged();
  });
});
