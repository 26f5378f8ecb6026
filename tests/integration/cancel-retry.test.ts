// Cancel and retry through the REST API, with the API and the worker in separate processes: the
// cancel reaches the worker running the job over Redis pub/sub, or ends a waiting job at once, and
// a retry runs a cancelled job again as its next attempt, in the same event stream.
import { CancelRequests, createRedis, type JobEvent, type JobSummary, redisKeys, type StatusEvent } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from '../support/call-api.ts';
import type { RedisHandle } from '../support/redis-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const PREFIX = 'cancel';
let stack: TestStack;
let redis: RedisHandle;
let api: ApiProcess;
const clients: ProgressClient[] = [];

beforeAll(async () => {
  // No worker yet: the first test cancels jobs that wait for one.
  stack = await startStack({ prefix: PREFIX });
  ({ redis, api } = stack);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await stack?.stop();
});

const call = (method: string, path: string, body?: unknown) => callApi(api.url, method, path, { body });

async function createJob(paceMs: number, options?: { attempts: number }): Promise<JobSummary> {
  const { status, body } = await call('POST', '/api/jobs', {
    pipeline: 'literature-review',
    input: { runMode: 'ONCE', paceMs },
    ...(options && { options }),
  });
  expect(status).toBe(201);
  return body;
}

function watch(jobId: string): ProgressClient {
  const client = new ProgressClient(wsUrl(api.url, `/ws/jobs/${jobId}/progress`));
  clients.push(client);
  return client;
}

const statuses = (client: ProgressClient) => client.events.map((e) => e.event).filter((e): e is StatusEvent => e.kind === 'status');
const completed = (status: string) => (c: ProgressClient) => c.messages.some((m) => m.type === 'job_complete' && m.status === status);
const progressOf = (client: ProgressClient) => client.events.filter((e) => e.event.kind === 'progress');
const running = (c: ProgressClient) => c.events.some((e) => e.event.kind === 'progress' && e.event.stage === 'judge');

describe('cancelling a job that waits', () => {
  it('ends it cancelled at once, and a worker started afterwards never runs its stages', async () => {
    const job = await createJob(0);
    const client = watch(job.id);
    await client.waitFor((c) => c.messages.some((m) => m.type === 'initial_status'));

    const started = performance.now();
    const res = await call('POST', `/api/jobs/${job.id}/cancel`, { reason: 'not needed any more' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: job.id, status: 'cancelled', failedReason: 'Cancelled: not needed any more' });
    await client.waitFor(completed('cancelled'), 1000 - (performance.now() - started));
    expect(statuses(client).map((e) => [e.status, e.reason])).toEqual([['cancelled', 'not needed any more']]);

    // A request recorded while no worker runs the job (its message went to nobody) is honoured
    // by the worker that starts the job.
    // The worker learns of it from its first write, after the run has begun: a short run and a
    // long one both end cancelled with nothing of their own written.
    const raced = await createJob(0);
    const racedClient = watch(raced.id);
    const racedLong = await createJob(30);
    const racedLongClient = watch(racedLong.id);
    const connection = createRedis(redis.url, 'blocking');
    for (const { id } of [raced, racedLong]) {
      await new CancelRequests(connection, redisKeys(PREFIX)).record(id, 'Cancelled: asked as it started');
    }
    connection.disconnect();

    await stack.addWorker({ WORKER_CONCURRENCY: '2' });
    const after = await createJob(0);
    const afterClient = watch(after.id);
    await afterClient.waitFor(completed('completed'), 30_000);
    await racedClient.waitFor(completed('cancelled'), 10_000);
    await racedLongClient.waitFor(completed('cancelled'), 10_000);

    expect(progressOf(client)).toEqual([]);
    for (const c of [racedClient, racedLongClient]) {
      expect(c.events.map((e) => e.event.kind)).toEqual(['status']);
      expect(statuses(c).map((e) => [e.status, e.reason, e.seq])).toEqual([['cancelled', 'asked as it started', 1]]);
    }
    expect((await call('GET', `/api/jobs/${job.id}`)).body).toMatchObject({ status: 'cancelled', percentage: 0 });
    expect((await call('GET', `/api/jobs/${raced.id}`)).body).toMatchObject({
      status: 'cancelled',
      failedReason: 'Cancelled: asked as it started',
    });
  });
});

describe('cancelling a running job', () => {
  let cancelled: JobSummary;
  let cancelledClient: ProgressClient;
  let beside: JobSummary;

  it('reaches the worker in another process: the viewer sees it cancelled within a second, with no retry and nothing after it; the job beside it runs on', async () => {
    beside = await createJob(10);
    cancelled = await createJob(30, { attempts: 3 });
    const besideClient = watch(beside.id);
    cancelledClient = watch(cancelled.id);
    await Promise.all([besideClient.waitFor(running), cancelledClient.waitFor(running)]);

    const started = performance.now();
    const res = await call('POST', `/api/jobs/${cancelled.id}/cancel`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: cancelled.id, status: 'active' });
    await cancelledClient.waitFor(completed('cancelled'), 1000 - (performance.now() - started));
    expect(performance.now() - started).toBeLessThan(1000);

    const events = cancelledClient.events.map((e) => e.event);
    const at = events.findIndex((e) => e.kind === 'status' && e.status === 'cancelled');
    expect(events[at]).toMatchObject({ attempt: 1, reason: 'requested through the API' });
    // Long enough for a retry (attempts: 3, no backoff) or a straggling event to show.
    await Bun.sleep(1500);
    expect(cancelledClient.events.slice(at + 1)).toEqual([]);
    expect(cancelledClient.events.map((e) => e.event as JobEvent).filter((e) => e.attempt > 1)).toEqual([]);
    const detail = (await call('GET', `/api/jobs/${cancelled.id}`)).body;
    expect(detail).toMatchObject({ status: 'cancelled', attempt: 1, attempts: 3, failedReason: 'Cancelled: requested through the API' });

    await besideClient.waitFor(completed('completed'), 30_000);
    expect(statuses(besideClient).map((e) => e.status)).toEqual(['active', 'completed']);
    // BullMQ records the completion just after the stream shows it.
    await expect.poll(async () => (await call('GET', `/api/jobs/${beside.id}`)).body.status).toBe('completed');
  });

  it('answers 409 for a job that has finished, and 404 for one that never existed', async () => {
    const done = await call('POST', `/api/jobs/${beside.id}/cancel`);
    expect(done.status).toBe(409);
    expect(done.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already completed/) });
    const again = await call('POST', `/api/jobs/${cancelled.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already been cancelled/);
    const unknown = await call('POST', '/api/jobs/no-such-job/cancel');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('JOB_NOT_FOUND');
  });

  it('retries the cancelled job as its attempt 2, which the same viewer follows to completed', async () => {
    const res = await call('POST', `/api/jobs/${cancelled.id}/retry`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: cancelled.id, status: 'waiting' });
    expect(res.body.failedReason).toBeUndefined();
    await cancelledClient.waitFor(completed('completed'), 60_000);
    const attempts = statuses(cancelledClient).map((e) => `${e.attempt}:${e.status}`);
    expect(attempts).toEqual(['1:active', '1:cancelled', '1:retrying', '2:active', '2:completed']);
    // BullMQ records the completion just after the stream shows it.
    await expect.poll(async () => (await call('GET', `/api/jobs/${cancelled.id}`)).body).toMatchObject({ status: 'completed', attempt: 2 });
  });

  it('answers 409 to a retry of a job that runs or has completed, and 404 to one that never existed', async () => {
    const active = await createJob(30);
    const client = watch(active.id);
    await client.waitFor(running);
    const retryActive = await call('POST', `/api/jobs/${active.id}/retry`);
    expect(retryActive.status).toBe(409);
    expect(retryActive.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is active/) });
    expect((await call('POST', `/api/jobs/${beside.id}/retry`)).status).toBe(409);
    expect((await call('POST', '/api/jobs/no-such-job/retry')).status).toBe(404);
    expect((await call('POST', `/api/jobs/${active.id}/cancel`)).status).toBe(202);
    await client.waitFor(completed('cancelled'), 5_000);
  });
});
