// Concurrent actions on one job, as a careless script or an impatient user sends them: of many
// retries of one failure exactly one runs, a retry of an attempt the caller no longer sees is
// refused, and a cancel racing a retry ends in a state its stream tells in order. Real Redis, API
// and worker processes; `fails-at-once` (test-pipelines.config.ts) fails as soon as it starts.
import type { JobSummary, StreamEntry } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createJob } from '../support/call-api.ts';
import type { ProcessHandle } from '../support/processes.ts';
import { type Sentinel, sentinelOf } from '../support/sentinel.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { until } from '../support/until.ts';

const CONFIG = 'tests/support/test-pipelines.config.ts';
let stack: TestStack;
let api: ApiProcess;
let worker: ProcessHandle;
let sentinel: Sentinel;

beforeAll(async () => {
  stack = await startStack({ prefix: 'abuse', env: { HEADWAY_CONFIG: CONFIG }, workers: 1, worker: { WORKER_CONCURRENCY: '2' } });
  ({ api, worker } = stack);
  // A failed job, like those the tests below retry: a retry that reached the wrong job would show on it.
  sentinel = await sentinelOf(api.url, (await failedJob()).id);
});

afterAll(() => stack?.stop());

const call = (method: string, path: string, body?: unknown) => callApi(api.url, method, path, { body });

const getJob = async (id: string): Promise<JobSummary> => (await call('GET', `/api/jobs/${id}`)).body;
const entriesOf = async (id: string): Promise<StreamEntry[]> => (await call('GET', `/api/jobs/${id}/events`)).body.entries;
/** `attempt:status` of every status event, in stream order. */
const statusesOf = async (id: string) =>
  (await entriesOf(id)).flatMap(({ event }) => (event.kind === 'status' ? [`${event.attempt}:${event.status}`] : []));

async function expectSeqsWithoutHoles(id: string) {
  const seqs = (await entriesOf(id)).map((e) => e.event.seq);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
}

/** Waits until BullMQ records the job as `status` at `attempt`. */
const settles = (id: string, status: string, attempt: number) =>
  until(
    () => getJob(id),
    (job) => job.attempt === attempt && job.status === status,
  );

async function failedJob(): Promise<JobSummary> {
  const job = await createJob(api.url, { pipeline: 'fails-at-once' });
  await settles(job.id, 'failed', 1);
  return job;
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((t, s) => {
    t[s] = (t[s] ?? 0) + 1;
    return t;
  }, {});

describe('retries racing each other', () => {
  let job: JobSummary;

  it('of 50 concurrent retries of a failed job, exactly one is accepted (200) and 49 get 409; the job runs one more attempt, told in order', async () => {
    job = await failedJob();
    expect(await statusesOf(job.id)).toEqual(['1:active', '1:failed']);

    // Each names the attempt it saw, as the dashboard and the CLI do: a request that reaches the
    // API only after the winner's attempt 2 has failed too must not retry that one.
    const answers = await Promise.all(Array.from({ length: 50 }, () => call('POST', `/api/jobs/${job.id}/retry`, { attempt: 1 })));
    expect(tally(answers.map((a) => a.status))).toEqual({ 200: 1, 409: 49 });
    expect(answers.find((a) => a.status === 200)!.body).toMatchObject({ id: job.id, status: 'waiting' });
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.error.code).toBe('CONFLICT');
      expect(refused.body.error.message).toMatch(
        new RegExp(`^Job ${job.id}('s attempt 1 is being retried already| is (waiting|active); only a failed| is at attempt 2, not 1;)`),
      );
    }

    await settles(job.id, 'failed', 2);
    // Long enough for a second extra attempt (it fails at once) to show.
    await Bun.sleep(1000);
    expect(await getJob(job.id)).toMatchObject({ status: 'failed', attempt: 2, failedReason: 'Fails at once' });
    expect(await statusesOf(job.id)).toEqual(['1:active', '1:failed', '1:retrying', '2:active', '2:failed']);
    await expectSeqsWithoutHoles(job.id);
  });

  it('refuses (409) a retry that names an attempt the job is no longer at, and of two retries of the current one runs one', async () => {
    const stale = await call('POST', `/api/jobs/${job.id}/retry`, { attempt: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toEqual({
      code: 'CONFLICT',
      message: `Job ${job.id} is at attempt 2, not 1; look at it again before retrying`,
    });
    const ahead = await call('POST', `/api/jobs/${job.id}/retry`, { attempt: 3 });
    expect(ahead.status).toBe(409);
    expect((await call('POST', `/api/jobs/${job.id}/retry`, { attempt: 0 })).status).toBe(422);
    expect(await statusesOf(job.id)).toEqual(['1:active', '1:failed', '1:retrying', '2:active', '2:failed']);

    const both = await Promise.all([1, 2].map(() => call('POST', `/api/jobs/${job.id}/retry`, { attempt: 2 })));
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    await settles(job.id, 'failed', 3);
    await Bun.sleep(500);
    expect((await getJob(job.id)).attempt).toBe(3);
    expect(await statusesOf(job.id)).toEqual([
      '1:active',
      '1:failed',
      '1:retrying',
      '2:active',
      '2:failed',
      '2:retrying',
      '3:active',
      '3:failed',
    ]);
    await expectSeqsWithoutHoles(job.id);
  });
});

describe('a cancel racing a retry (no worker running, so the outcome stays put)', () => {
  const RACES = 8;

  it('on a failed job: the retry is accepted; the cancel either finds it failed (409) or cancels the retried job (200), and the stream says which', async () => {
    const jobs = await Promise.all(Array.from({ length: RACES }, () => failedJob()));
    await worker.stop();
    for (const job of jobs) {
      const [cancel, retry] = await Promise.all([call('POST', `/api/jobs/${job.id}/cancel`), call('POST', `/api/jobs/${job.id}/retry`)]);
      expect(retry.status).toBe(200);
      const after = await getJob(job.id);
      const statuses = await statusesOf(job.id);
      if (cancel.status === 409) {
        expect(cancel.body.error.message).toBe(`Job ${job.id} has already failed; only a waiting or running job can be cancelled`);
        expect(after).toMatchObject({ status: 'waiting', attempt: 1 });
        expect(statuses).toEqual(['1:active', '1:failed', '1:retrying']);
      } else {
        expect(cancel.status).toBe(200);
        expect(after).toMatchObject({ status: 'cancelled', attempt: 1, failedReason: 'Cancelled: requested through the API' });
        expect(statuses).toEqual(['1:active', '1:failed', '1:retrying', '1:cancelled']);
      }
      await expectSeqsWithoutHoles(job.id);
    }
  });

  it('on a waiting job: the cancel ends it (200); the retry either finds it waiting or being taken by the cancel (409), or retries the cancelled job (200), and the stream says which', async () => {
    for (let i = 0; i < RACES; i++) {
      const created = await call('POST', '/api/jobs', { pipeline: 'fails-at-once' });
      const id = created.body.id;
      const [cancel, retry] = await Promise.all([call('POST', `/api/jobs/${id}/cancel`), call('POST', `/api/jobs/${id}/retry`)]);
      expect(cancel.status).toBe(200);
      expect(cancel.body).toMatchObject({ id, status: 'cancelled' });
      const statuses = await statusesOf(id);
      if (retry.status === 409) {
        // A cancel takes a waiting job through the active list on its way to failed.
        expect(retry.body.error.message).toMatch(new RegExp(`^Job ${id} (is waiting|is active|had not failed yet when read);`));
        expect(await getJob(id)).toMatchObject({ status: 'cancelled' });
        expect(statuses).toEqual(['1:cancelled']);
      } else {
        expect(retry.status).toBe(200);
        expect(await getJob(id)).toMatchObject({ status: 'waiting' });
        expect(statuses).toEqual(['1:cancelled', '1:retrying']);
      }
      await expectSeqsWithoutHoles(id);
    }
  });
});

describe('the sentinel job', () => {
  it('is untouched by all of the above: same summary, same events', async () => {
    await sentinel.expectUnchanged();
  });
});
