// Webhooks against a real HTTP receiver on loopback: signed JSON and Slack bodies, the config's
// event and pipeline filters, retries with backoff (a receiver failing, one that never answers, a
// receiver that always fails until the attempts run out), and an API restarted between attempts.
// The API and the worker run as processes; the receiver records every request it gets.
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookDelivery, WebhookPayload } from '@headway/progress';
import type { Server } from 'bun';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createJob } from '../support/call-api.ts';
import { type ProcessHandle, startApi, startWorker } from '../support/processes.ts';
import { type RedisHandle, startRedis } from '../support/redis-server.ts';
import { until } from '../support/until.ts';

const CONFIG = join(import.meta.dirname, '../support/configs/webhooks.config.ts');
const SECRET = 'main-secret-0123456789abcdef';
const TOKEN = 'webhooks-test-token';
const PUBLIC_URL = 'https://headway.example';
const TIMEOUT_MS = 600;
const BACKOFF_MS = 200;
const ATTEMPTS = 4;

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** Set when the sender gave up waiting for the answer. */
  aborted?: boolean;
}

let redis: RedisHandle;
let receiver: Server<undefined>;
let api: ProcessHandle & { url: string };
let worker: ProcessHandle;
let env: Record<string, string>;
const received: Received[] = [];
/** By the job's name: what the receiver at /main answers its next requests ('hang': never). */
const plans = new Map<string, (number | 'hang')[]>();

beforeAll(async () => {
  redis = await startRedis();
  receiver = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const body = await request.text();
      const entry: Received = { path: new URL(request.url).pathname, headers: Object.fromEntries(request.headers), body, at: Date.now() };
      received.push(entry);
      const plan = entry.path === '/main' ? plans.get((JSON.parse(body) as WebhookPayload).job.name)?.shift() : undefined;
      if (plan === 'hang') {
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        entry.aborted = true;
        return new Response('too late');
      }
      // A long answer: only its start may reach the delivery log.
      if (plan) return new Response(`receiver says no ${'x'.repeat(100_000)}`, { status: plan });
      return new Response('ok');
    },
  });
  env = {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'hooks',
    DATA_DIR: `/tmp/hw-hooks-${redis.port}`,
    HEADWAY_CONFIG: CONFIG,
    API_TOKEN: TOKEN,
    PUBLIC_URL,
    WEBHOOK_TEST_BASE: `http://127.0.0.1:${receiver.port}`,
    WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/main`,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    WEBHOOK_BACKOFF_MS: String(BACKOFF_MS),
    WEBHOOK_ATTEMPTS: String(ATTEMPTS),
    // Stall checks are throttled (a Redis key) to the interval of the worker that ran one last.
    WORKER_STALLED_INTERVAL_MS: '300',
  };
  [api, worker] = await Promise.all([startApi(env), startWorker(env)]);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  receiver?.stop(true);
  await redis?.stop();
  rmSync(env.DATA_DIR!, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const call = (method: string, path: string, body?: unknown) => callApi(api.url, method, path, { body, headers: auth });
const run = (pipeline: string, name: string, input?: object) => createJob(api.url, { pipeline, name, ...(input && { input }) }, auth);

/** Requests the receiver got about the job, at each path. */
function requestsFor(jobId: string, path: string): Received[] {
  return received.filter((r) => r.path === path && (path === '/slack' ? r.body.includes(`/jobs/${jobId}|`) : bodyOf(r).job.id === jobId));
}
const bodyOf = (r: Received) => JSON.parse(r.body) as WebhookPayload;

async function deliveriesOf(jobId: string): Promise<WebhookDelivery[]> {
  const { status, body } = await call('GET', '/api/webhooks/deliveries?limit=200');
  expect(status).toBe(200);
  return (body.deliveries as WebhookDelivery[]).filter((d) => d.jobId === jobId);
}

/** Waits until `count` deliveries of the job exist and none is still under way; returns them. */
const settled = (jobId: string, count: number, timeoutMs = 10_000) =>
  until(
    () => deliveriesOf(jobId),
    (ds) => ds.length === count && ds.every((d) => d.state === 'delivered' || d.state === 'failed'),
    timeoutMs,
  );

function expectSigned(r: Received, secret = SECRET) {
  const timestamp = r.headers['x-headway-timestamp']!;
  expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
  expect(r.headers['x-headway-signature']).toBe(expected);
}

describe('webhooks', () => {
  it('POSTs a signed JSON body with the job’s summary and link, and a Slack text to a Slack hook', async () => {
    const job = await run('literature-review', 'signed report', { runMode: 'ONCE', paceMs: 0 });
    await settled(job.id, 2);
    const main = requestsFor(job.id, '/main');
    const slack = requestsFor(job.id, '/slack');
    expect(main).toHaveLength(1);
    const request = main[0]!;
    expectSigned(request);
    // Any other secret, or a body changed by one byte, does not verify.
    expect(request.headers['x-headway-signature']).not.toBe(
      `sha256=${createHmac('sha256', 'another-secret-0123456').update(`${request.headers['x-headway-timestamp']}.${request.body}`).digest('hex')}`,
    );
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-headway-event']).toBe('job.completed');
    const body = bodyOf(request);
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'id', 'job', 'type', 'url']);
    expect(body).toMatchObject({
      id: request.headers['x-headway-delivery'],
      type: 'job.completed',
      url: `${PUBLIC_URL}/jobs/${job.id}`,
      job: { id: job.id, name: 'signed report', pipeline: 'literature-review', status: 'completed', percentage: 100 },
    });
    expect(Date.parse(body.createdAt)).toBeGreaterThanOrEqual(Date.parse(body.job.finishedAt!) - 1000);

    expect(slack).toHaveLength(1);
    expect(slack[0]!.headers['x-headway-signature']).toBeUndefined();
    const text = (JSON.parse(slack[0]!.body) as { text: string }).text;
    expect(Object.keys(JSON.parse(slack[0]!.body))).toEqual(['text']);
    expect(text).toMatch(
      /^:white_check_mark: signed report \(literature-review\) completed in \d+ s <https:\/\/headway\.example\/jobs\/[^|]+\|Open>$/,
    );
    expect(text).toContain(`<${PUBLIC_URL}/jobs/${job.id}|Open>`);
    expect(requestsFor(job.id, '/failures')).toEqual([]);
  });

  it('sends each end only to the webhooks whose events and pipelines match', async () => {
    const failed = await run('fails-at-once', 'filtered failure');
    const cancelled = await run('literature-review', 'filtered cancel', { runMode: 'ONCE', paceMs: 200 });
    await until(
      () => call('GET', `/api/jobs/${cancelled.id}`),
      (r) => r.body.status === 'active',
    );
    expect((await call('POST', `/api/jobs/${cancelled.id}/cancel`, { reason: 'enough' })).status).toBe(202);
    await Promise.all([settled(failed.id, 2), settled(cancelled.id, 2)]);

    const paths = (jobId: string) => ['/main', '/failures', '/slack'].map((path) => requestsFor(jobId, path).length);
    expect(paths(failed.id)).toEqual([1, 1, 0]);
    expect(paths(cancelled.id)).toEqual([1, 0, 1]);
    expect(bodyOf(requestsFor(failed.id, '/failures')[0]!)).toMatchObject({ type: 'job.failed', job: { status: 'failed' } });
    expectSigned(requestsFor(failed.id, '/failures')[0]!, 'failures-secret-0123456789');
    expect(bodyOf(requestsFor(cancelled.id, '/main')[0]!)).toMatchObject({ type: 'job.cancelled', job: { status: 'cancelled' } });
    expect(JSON.parse(requestsFor(cancelled.id, '/slack')[0]!.body).text).toMatch(
      /^:no_entry_sign: filtered cancel \(literature-review\) was cancelled/,
    );
  });

  it('retries a receiver that fails twice, and delivers once on the third attempt with the same body', async () => {
    plans.set('flaky', [500, 503]);
    const job = await run('fails-at-once', 'flaky');
    const [delivery] = (await settled(job.id, 2)).filter((d) => d.id === requestsFor(job.id, '/main')[0]?.headers['x-headway-delivery']);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 3, maxAttempts: ATTEMPTS, lastStatus: 200, type: 'job.failed' });
    expect(delivery!.lastError).toBeUndefined();
    const attempts = requestsFor(job.id, '/main');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    expect(new Set(attempts.map((r) => r.headers['x-headway-delivery'])).size).toBe(1);
    for (const r of attempts) expectSigned(r);
    // Exponential backoff: about 200 ms, then about 400 ms.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(BACKOFF_MS - 20);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 20);
    // The other webhook of the same end was not held up or repeated.
    expect(requestsFor(job.id, '/failures')).toHaveLength(1);
  });

  it('gives up on a receiver that never answers in time after WEBHOOK_TIMEOUT_MS, and retries it', async () => {
    plans.set('hangs', ['hang']);
    const job = await run('fails-at-once', 'hangs');
    await settled(job.id, 2);
    const attempts = requestsFor(job.id, '/main');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.aborted).toBe(true);
    expect(attempts[1]!.aborted).toBeUndefined();
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(TIMEOUT_MS + BACKOFF_MS - 20);
    const [delivery] = (await deliveriesOf(job.id)).filter((d) => d.id === attempts[0]!.headers['x-headway-delivery']);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
  });

  it('stops after WEBHOOK_ATTEMPTS and shows the last status and the start of the last answer', async () => {
    plans.set('broken', [500, 500, 500, 500]);
    const job = await run('fails-at-once', 'broken');
    const deliveries = await settled(job.id, 2);
    const attempts = requestsFor(job.id, '/main');
    expect(attempts).toHaveLength(ATTEMPTS);
    const [delivery] = deliveries.filter((d) => d.id === attempts[0]!.headers['x-headway-delivery']);
    expect(delivery).toMatchObject({ state: 'failed', attempts: ATTEMPTS, lastStatus: 500 });
    expect(delivery!.lastError).toMatch(/^HTTP 500: receiver says no x+…$/);
    // The answer's first 512 bytes, of 100 kB.
    expect(delivery!.lastError!.length).toBe('HTTP 500: '.length + 512 + 1);
    expect(plans.get('broken')).toEqual([]);
  });

  it('shows the delivery log only with the API token', async () => {
    const { status, body } = await callApi(api.url, 'GET', '/api/webhooks/deliveries');
    expect(status).toBe(401);
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect((await call('GET', '/api/webhooks/deliveries?limit=0')).status).toBe(422);
  });

  it('delivers from the API a waiting job it cancels, and after an API restart between attempts', async () => {
    // No worker: the API ends a waiting job itself, and tells the webhooks.
    await worker.stop();
    const waiting = await run('literature-review', 'cancelled while waiting');
    expect((await call('POST', `/api/jobs/${waiting.id}/cancel`, { reason: 'not now' })).status).toBe(200);
    await settled(waiting.id, 2);
    expect(bodyOf(requestsFor(waiting.id, '/main')[0]!)).toMatchObject({ type: 'job.cancelled', job: { status: 'cancelled' } });
    expect(requestsFor(waiting.id, '/slack')).toHaveLength(1);

    // Retries long enough apart to restart the API between the first and the second.
    worker = await startWorker({ ...env, WEBHOOK_BACKOFF_MS: '2500' });
    plans.set('restart', [500]);
    const job = await run('fails-at-once', 'restart');
    await until(
      async () => requestsFor(job.id, '/main').length,
      (n) => n === 1,
    );
    await api.stop();
    api = await startApi(env);
    const deliveries = await settled(job.id, 2);
    const attempts = requestsFor(job.id, '/main');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(2500 - 20);
    expect(attempts[0]!.body).toBe(attempts[1]!.body);
    const [delivery] = deliveries.filter((d) => d.id === attempts[0]!.headers['x-headway-delivery']);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
  });

  it('tells a webhook that opted in of a job whose worker died, once', async () => {
    const short = { ...env, WORKER_LOCK_DURATION_MS: '1000' };
    await worker.stop();
    const doomed = await startWorker(short);
    const job = await run('literature-review', 'stalls', { runMode: 'ONCE', paceMs: 100 });
    await until(
      () => call('GET', `/api/jobs/${job.id}`),
      (r) => r.body.status === 'active',
    );
    await doomed.stop('SIGKILL');
    worker = await startWorker(short);
    const [stall] = await until(
      async () => requestsFor(job.id, '/stalls'),
      (rs) => rs.length === 1,
    );
    expectSigned(stall!, 'stalls-secret-0123456789');
    expect(stall!.headers['x-headway-delivery']).toMatch(new RegExp(`^[0-9a-f]{16}\\.stalled\\.1\\.${job.id}$`));
    expect(bodyOf(stall!)).toMatchObject({ type: 'job.stalled', job: { id: job.id, name: 'stalls' } });
    expect((await call('POST', `/api/jobs/${job.id}/cancel`, {})).status).toBeGreaterThanOrEqual(200);
    await settled(job.id, 3);
    expect(requestsFor(job.id, '/stalls')).toHaveLength(1);
    expect(requestsFor(job.id, '/main').map((r) => bodyOf(r).type)).toEqual(['job.cancelled']);
  });
});
