// Job ids that name a path (`../../escaped`, `/tmp/abs`, `..\..\x`, `{tag}x`…), sent every way a
// job can be created — Bull Board's add route and BullMQ from any client — against a real API and
// worker whose DATA_DIR sits two levels inside a fresh folder: each is refused, nothing is written
// outside DATA_DIR (or for the refused job inside it), and other jobs run as before.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRedis, QUEUE_NAME, redisKeys } from '@headway/progress';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../support/call-api.ts';
import type { ProcessHandle } from '../support/processes.ts';
import { createSentinel, type Sentinel } from '../support/sentinel.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const PREFIX = 'abuse-paths';
const keys = redisKeys(PREFIX);
/** Each names a folder or file outside a job's own folder, or breaks a hash tag. */
const BAD_IDS = ['../../escaped', '..', '.', 'a/../../b', '..\\..\\x', '/tmp/abs', '{tag}x', '%2e%2e'];
const RULE = 'a job id is 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit, without ".."';
const QUICK = { runMode: 'ONCE', paceMs: 0 };

let top: string;
let dataDir: string;
let stack: TestStack;
let api: ApiProcess;
let worker: ProcessHandle;
let queue: Queue;
let client: Redis;

beforeAll(async () => {
  stack = await startStack({ prefix: PREFIX, dataDir: 'outer/data', workers: 1 });
  ({ api, worker, dir: top, dataDir } = stack);
  client = createRedis(stack.redis.url, 'blocking');
  queue = new Queue(QUEUE_NAME, { connection: client, prefix: PREFIX });
});

afterAll(async () => {
  await queue?.close();
  client?.disconnect();
  await stack?.stop();
});

/** Every file and folder under `dir`, as paths relative to it, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** The temp folder's tree without what is inside DATA_DIR. */
const outsideDataDir = () => tree(top).filter((p) => !join(top, p).startsWith(`${dataDir}/`));

async function finished(id: string, timeoutMs = 30_000): Promise<{ state: string; failedReason?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(id);
    // Read after the state: a job read first may move to failed, reason and all, in between.
    if (state === 'completed' || state === 'failed') return { state, failedReason: (await queue.getJob(id))!.failedReason };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state} after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}

const jobCount = async () => Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0);

describe('job ids that name a path', () => {
  let sentinel: Sentinel;
  let before: string[];

  beforeAll(async () => {
    sentinel = await createSentinel(api.url);
    before = outsideDataDir();
    expect(before).toEqual(['outer', 'outer/data']);
  });

  it('are refused by Bull Board’s add route with a 400 naming options.jobId, and nothing is queued', async () => {
    const count = await jobCount();
    for (const jobId of [...BAD_IDS, '', 42, { $gt: '' }]) {
      const res = await fetch(`${api.url}/admin/queues/api/queues/${QUEUE_NAME}/add`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'literature-review', data: { input: QUICK }, options: { jobId } }),
      });
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, String(jobId)).toBe(400);
      expect(body).toEqual({ error: { code: 'BAD_REQUEST', message: `options.jobId ${JSON.stringify(jobId)} is refused: ${RULE}` } });
      if (typeof jobId === 'string' && jobId) expect(await queue.getJob(jobId), jobId).toBeUndefined();
    }
    expect(await jobCount()).toBe(count);
  });

  it('still lets Bull Board add a job with a valid id of its own, or with none', async () => {
    for (const options of [{ jobId: 'board-made.1' }, {}]) {
      const res = await fetch(`${api.url}/admin/queues/api/queues/${QUEUE_NAME}/add`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'literature-review', data: { input: QUICK }, options }),
      });
      expect(res.status).toBe(200);
      const { job } = (await res.json()) as { job: { id: string } };
      if ('jobId' in options) expect(job.id).toBe('board-made.1');
      expect((await finished(job.id)).state).toBe('completed');
    }
  });

  it('added through BullMQ directly are failed by the worker, once, with a reason naming the id, writing nothing', async () => {
    for (const jobId of BAD_IDS) {
      await queue.add('literature-review', { input: QUICK }, { jobId, attempts: 3 });
    }
    for (const jobId of BAD_IDS) {
      const { state, failedReason } = await finished(jobId);
      expect(state, jobId).toBe('failed');
      expect(failedReason).toBe(`Refused job id ${JSON.stringify(jobId)}: ${RULE}`);
      const job = (await queue.getJob(jobId))!;
      // UnrecoverableError: no second attempt, whatever `attempts` says.
      expect(job.attemptsMade, jobId).toBe(1);
      expect(await client.exists(keys.events(jobId), keys.seq(jobId)), jobId).toBe(0);
    }
    expect(worker.output()).toContain(`[worker] job ../../escaped failed: Refused job id "../../escaped": ${RULE}`);
  });

  it('leave nothing outside DATA_DIR, nor in it but the folders of jobs that ran; other jobs are unchanged and still run', async () => {
    expect(outsideDataDir()).toEqual(before);
    await sentinel.expectUnchanged();

    const normal = await createJob(api.url, { pipeline: 'literature-review', input: QUICK });
    expect((await finished(normal.id)).state).toBe('completed');
    const jobDirs = readdirSync(join(dataDir, 'jobs')).sort();
    expect(jobDirs).toContain(normal.id);
    expect(jobDirs.every((d) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(d) && !d.includes('..'))).toBe(true);
    expect(jobDirs).not.toContain('escaped');
    const files = tree(join(dataDir, 'jobs', normal.id));
    expect(files).toEqual(['completeness-radar.svg', 'completeness-trend.svg', 'gap-bars.svg', 'report.md']);
    expect(readFileSync(join(dataDir, 'jobs', normal.id, 'report.md'), 'utf8')).toMatch(/^# /);
    expect(outsideDataDir()).toEqual(before);
    // DATA_DIR holds only `jobs` and the artifact store (ARTIFACT_STORE's default), whose jobs
    // are among those that ran; every path in it stays inside.
    expect(readdirSync(dataDir).sort()).toEqual(['artifacts', 'jobs']);
    const artifactJobs = readdirSync(join(dataDir, 'artifacts', 'jobs'));
    expect(artifactJobs).toContain(normal.id);
    expect(artifactJobs.every((d) => jobDirs.includes(d))).toBe(true);
    for (const p of tree(dataDir)) expect(relative(dataDir, join(dataDir, p)).startsWith('..')).toBe(false);
  });
});
