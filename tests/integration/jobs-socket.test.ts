// `/ws/jobs` streams the job list live: a snapshot, then every job's creation, status and progress,
// fed from BullMQ's queue events. The feed keeps the id of the last event it published in Redis,
// so an API killed and restarted resumes there and still publishes what changed while it was down.
import { compareIds, createRedis, type JobStatus, type JobSummary, redisKeys } from '@headway/progress';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobListClient } from '../support/job-list-client.ts';
import type { ProcessHandle } from '../support/processes.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const keys = redisKeys('list');
let stack: TestStack;
let api: ApiProcess;
let worker: ProcessHandle | undefined;
let client: Redis;
let queue: Queue;

beforeAll(async () => {
  stack = await startStack({ prefix: 'list' });
  ({ api } = stack);
  client = createRedis(stack.redis.url, 'blocking');
  queue = new Queue(keys.queueName, { connection: client, prefix: keys.queuePrefix });
});

afterAll(async () => {
  await queue?.close();
  client?.disconnect();
  await stack?.stop();
});

async function createJob(input: Record<string, unknown>): Promise<JobSummary> {
  const res = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review', input }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as JobSummary;
}

const RANK: Partial<Record<JobStatus, number>> = { waiting: 0, active: 1, completed: 2 };

/** Id of the newest entry of BullMQ's event stream about this job. */
async function lastEventOf(jobId: string, after = '-'): Promise<string> {
  const entries = await client.xrange(queue.keys.events!, after, '+');
  const about = entries.filter(([, fields]) => fields[fields.indexOf('jobId') + 1] === jobId);
  return about.at(-1)![0];
}

describe('job list socket', () => {
  it('sends the list, then a job it did not create appearing, going active, rising and completing, in order', async () => {
    const viewer = new JobListClient(api.url);
    const completedOnly = new JobListClient(api.url, { status: 'completed' });
    await viewer.waitFor((c) => c.messages.length > 0);
    await completedOnly.waitFor((c) => c.messages.length > 0);
    expect(viewer.messages[0]).toEqual({ type: 'jobs', jobs: [], total: 0 });

    // No worker yet: the job waits, so its creation shows on its own before it goes active.
    const job = await createJob({ runMode: 'ONCE', paceMs: 15 });
    await viewer.waitFor((c) => c.updatesOf(job.id).length > 0);
    expect(viewer.updatesOf(job.id)).toEqual([expect.objectContaining({ id: job.id, status: 'waiting', percentage: 0 })]);
    worker = await stack.addWorker();
    await viewer.waitFor((c) => c.updatesOf(job.id).some((j) => j.status === 'completed'));
    await completedOnly.waitFor((c) => c.view?.jobs.some((j) => j.id === job.id) ?? false);

    const updates = viewer.updatesOf(job.id);
    const ranks = updates.map((j) => RANK[j.status]);
    expect(ranks.every((r) => r !== undefined)).toBe(true);
    expect(ranks).toEqual([...ranks].sort());
    expect(new Set(ranks)).toEqual(new Set([0, 1, 2]));
    expect(updates.at(-1)).toMatchObject({ status: 'completed', percentage: 100 });
    const active = updates.filter((j) => j.status === 'active').map((j) => j.percentage);
    expect(active.length).toBeGreaterThan(2);
    expect(active).toEqual([...active].sort((a, b) => a - b));
    expect(active.at(-1)!).toBeGreaterThan(active[0]!);
    // At most one message per job per ~250 ms, however often the worker reports.
    expect(updates.length).toBeLessThan(40);
    expect(viewer.view?.jobs.map((j) => [j.id, j.status])).toEqual([[job.id, 'completed']]);
    expect(viewer.view?.total).toBe(1);

    // The `status=completed` list never showed the job waiting or active, only completed.
    for (const view of completedOnly.views) {
      for (const j of view?.jobs ?? []) expect(j.status).toBe('completed');
    }
    expect(completedOnly.view).toEqual({ jobs: [expect.objectContaining({ id: job.id, status: 'completed' })], total: 1 });
    viewer.close();
    completedOnly.close();
  });

  it('answers a bad filter with an error and a 4400 close', async () => {
    const viewer = new JobListClient(api.url, { limit: 0 });
    await viewer.waitFor((c) => c.closed !== undefined, 10_000);
    expect(viewer.messages).toEqual([{ type: 'error', code: 'VALIDATION', message: expect.stringContaining('limit') }]);
    expect(viewer.closed?.code).toBe(4400);
  });

  it('with two API processes, one loads the changed jobs and both publish every change', async () => {
    worker ??= await stack.addWorker();
    const second = await stack.startApi();
    const loads = async (url: string) =>
      Number(/^headway_job_list_loads_total (\d+)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);
    const before = await Promise.all([api.url, second.url].map(loads));
    const viewers = [new JobListClient(api.url), new JobListClient(second.url)];
    await Promise.all(viewers.map((v) => v.waitFor((c) => c.view !== undefined)));
    const jobs = await Promise.all([1, 2, 3].map(() => createJob({ runMode: 'ONCE', paceMs: 1 })));
    for (const viewer of viewers) {
      await viewer.waitFor((c) => jobs.every((job) => c.view?.jobs.find((j) => j.id === job.id)?.status === 'completed'), 30_000);
      viewer.close();
    }
    const added = (await Promise.all([api.url, second.url].map(loads))).map((n, i) => n - before[i]!);
    // The first API writes the feed (it held the lease first); the second only reads it.
    expect(added[0]).toBeGreaterThanOrEqual(jobs.length);
    expect(added[1]).toBe(0);
    expect(second.output()).not.toContain('[job-list] following queue events');
    await second.stop();
  });

  it('after a SIGKILL and a restart, resumes from the persisted event id and publishes what changed meanwhile', async () => {
    await worker?.stop();
    worker = undefined;
    const job = await createJob({ runMode: 'ONCE', paceMs: 1 });
    // The feed has published the job's creation and saved the id of that event.
    const created = await lastEventOf(job.id);
    await expect
      .poll(async () => compareIds((await client.get(keys.jobListLastEventId)) ?? '0', created), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(0);
    const saved = (await client.get(keys.jobListLastEventId))!;

    await api.stop('SIGKILL');
    worker = await stack.addWorker();
    await expect.poll(async () => (await queue.getJob(job.id))?.getState(), { timeout: 60_000 }).toBe('completed');
    const completed = await lastEventOf(job.id, `(${saved}`);
    expect(compareIds(completed, saved)).toBeGreaterThan(0);
    expect(await client.get(keys.jobListLastEventId)).toBe(saved);

    api = await stack.startApi();
    const viewer = new JobListClient(api.url);
    await expect.poll(() => api.output(), { timeout: 10_000 }).toContain(`[job-list] following queue events after ${saved}`);
    // It read the events of the downtime, the job's completion last, and saved an id past them.
    await expect
      .poll(async () => compareIds((await client.get(keys.jobListLastEventId))!, completed), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(0);

    await viewer.waitFor((c) => c.view !== undefined);
    expect(viewer.view?.jobs.find((j) => j.id === job.id)).toMatchObject({ status: 'completed', percentage: 100 });
    viewer.close();
  });
});
