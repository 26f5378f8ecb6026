// The delivery guarantee under breakage (DESIGN.md, Protocols): a viewer that resumes after its
// cursor gets every retained event once, in order, however often its connection drops, when the
// API process dies, when the worker running the job dies, and when Redis restarts. Real processes,
// a real Redis; nothing is mocked.
import type { JobEvent, JobSummary, StatusEvent } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis } from '../support/redis-server.ts';
import { ResumingViewer, seqProblems } from '../support/resuming-viewer.ts';
import { startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

let stack: TestStack;

beforeAll(async () => {
  // No API or worker yet: each test starts and kills its own.
  stack = await startStack({ prefix: 'chaos', api: false, redis: { aof: true } });
});

afterAll(() => stack?.stop('SIGKILL'));

const api = (extra: Record<string, string> = {}) => stack.startApi(extra);
const worker = (extra: Record<string, string> = {}) => stack.addWorker(extra);

async function createJob(apiUrl: string, input: Record<string, unknown>): Promise<JobSummary> {
  const res = await fetch(`${apiUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review', input }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as JobSummary;
}

/** Everything the server still holds for the job, read by a fresh viewer from the start. */
async function fullReplay(apiUrl: string, jobId: string) {
  const client = new ProgressClient(wsUrl(apiUrl, `/ws/jobs/${jobId}/progress?after=0`));
  await client.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
  client.close();
  return client.events;
}

const statuses = (events: readonly { event: JobEvent }[]) =>
  events.map((e) => e.event).filter((e): e is StatusEvent => e.kind === 'status');

describe('chaos', () => {
  it('100 random disconnects of a viewer during a busy job: it receives seq 1..N once each, identical to a full replay', async () => {
    const apiA = await api();
    const w = await worker();
    const job = await createJob(apiA.url, { runMode: 'DEEP_LOOP', paceMs: 50 });
    const viewer = new ResumingViewer(() => apiA.url, job.id);
    let drops = 0;
    while (drops < 100 && !viewer.complete) {
      await Bun.sleep(5 + Math.random() * 40);
      if (viewer.entries.length > 0 && viewer.drop()) drops++;
    }
    expect(drops, 'the job ended before 100 disconnects').toBe(100);
    await viewer.waitFor((v) => v.complete);
    viewer.stop();

    expect(viewer.connections).toBeGreaterThan(100);
    expect(seqProblems(viewer.entries)).toBeUndefined();
    const replay = await fullReplay(apiA.url, job.id);
    expect(viewer.entries.map((e) => e.id)).toEqual(replay.map((e) => e.id));
    expect(statuses(replay).at(-1)?.status).toBe('completed');
    await Promise.all([apiA.stop(), w.stop()]);
  });

  it('the API process is killed and restarted mid-job: its viewers reconnect by themselves and lose nothing', async () => {
    const port = String(await freePort());
    let apiA = await api({ PORT: port });
    const w = await worker();
    const job = await createJob(apiA.url, { runMode: 'DEEP_LOOP', paceMs: 20 });
    const viewers = Array.from(
      { length: 3 },
      () =>
        new ResumingViewer(
          () => apiA.url,
          job.id,
          () => 100 + Math.random() * 200,
        ),
    );
    await Promise.all(
      viewers.map((v) => v.waitFor((x) => x.entries.some((e) => e.event.kind === 'progress' && e.event.stage === 'judge'))),
    );

    await apiA.stop('SIGKILL');
    await Bun.sleep(500);
    apiA = await api({ PORT: port });
    await Promise.all(viewers.map((v) => v.waitFor((x) => x.complete)));

    const replay = await fullReplay(apiA.url, job.id);
    for (const v of viewers) {
      v.stop();
      expect(v.connections).toBeGreaterThanOrEqual(2);
      expect(seqProblems(v.entries)).toBeUndefined();
      expect(v.entries.map((e) => e.id)).toEqual(replay.map((e) => e.id));
    }
    await Promise.all([apiA.stop(), w.stop()]);
  });

  it('a worker killed with SIGKILL mid-job: the job is seen stalled, then retrying, and runs again as attempt 2 on another worker', async () => {
    const fast = { WORKER_LOCK_DURATION_MS: '1500', WORKER_STALLED_INTERVAL_MS: '500' };
    const apiA = await api();
    const doomed = await worker(fast);
    const job = await createJob(apiA.url, { runMode: 'ONCE', paceMs: 30 });
    const viewer = new ResumingViewer(() => apiA.url, job.id);
    await viewer.waitFor((v) => v.entries.some((e) => e.event.kind === 'progress' && e.event.stage === 'judge'));
    // The survivor starts after the job did, so the job can only have been running on the doomed one.
    const survivor = await worker(fast);
    doomed.proc.kill('SIGKILL');
    await viewer.waitFor((v) => v.complete, 30_000);
    viewer.stop();

    expect(seqProblems(viewer.entries)).toBeUndefined();
    const seen = statuses(viewer.entries).map((e) => `${e.status}@${e.attempt}`);
    expect(seen).toEqual(['active@1', 'stalled@1', 'retrying@1', 'active@2', 'completed@2']);
    // Attempt 2 starts the bar again from the beginning.
    const attempt2 = viewer.entries.map((e) => e.event).filter((e) => e.kind === 'progress' && e.attempt === 2);
    expect(attempt2[0]).toMatchObject({ stage: 'initialization', phase: 'starting' });
    expect(attempt2[0]?.kind === 'progress' && attempt2[0].percentage).toBeLessThan(5);
    // The stream says completed just before BullMQ does.
    let detail: JobSummary | undefined;
    for (let tries = 0; tries < 50 && detail?.status !== 'completed'; tries++) {
      if (tries) await Bun.sleep(100);
      detail = (await (await fetch(`${apiA.url}/api/jobs/${job.id}`)).json()) as JobSummary;
    }
    expect(detail).toMatchObject({ status: 'completed', attempt: 2 });
    await Promise.all([apiA.stop(), survivor.stop()]);
  });

  it('a worker killed while the only other worker is busy: the busy one’s stall check reports it at once, and it is still seen once', async () => {
    const fast = { WORKER_LOCK_DURATION_MS: '1500', WORKER_STALLED_INTERVAL_MS: '500' };
    const apiA = await api();
    const busy = await worker({ ...fast, WORKER_CONCURRENCY: '1' });
    const long = await createJob(apiA.url, { runMode: 'ONCE', paceMs: 25 });
    const longViewer = new ResumingViewer(() => apiA.url, long.id);
    await longViewer.waitFor((v) => statuses(v.entries).some((e) => e.status === 'active'));
    const doomed = await worker(fast);
    const job = await createJob(apiA.url, { runMode: 'ONCE', paceMs: 20 });
    const viewer = new ResumingViewer(() => apiA.url, job.id);
    await viewer.waitFor((v) => v.entries.some((e) => e.event.kind === 'progress' && e.event.stage === 'judge'));
    doomed.proc.kill('SIGKILL');

    await viewer.waitFor((v) => statuses(v.entries).some((e) => e.status === 'retrying'), 15_000);
    // Reported while the only live worker still runs the long job: nobody has picked this one up.
    expect(longViewer.complete).toBe(false);
    expect(statuses(viewer.entries).map((e) => `${e.status}@${e.attempt}`)).toEqual(['active@1', 'stalled@1', 'retrying@1']);
    await viewer.waitFor((v) => v.complete, 60_000);
    viewer.stop();
    longViewer.stop();

    expect(seqProblems(viewer.entries)).toBeUndefined();
    expect(statuses(viewer.entries).map((e) => `${e.status}@${e.attempt}`)).toEqual([
      'active@1',
      'stalled@1',
      'retrying@1',
      'active@2',
      'completed@2',
    ]);
    await Promise.all([apiA.stop(), busy.stop()]);
  });

  it('Redis restarted mid-job (AOF everysec): API and worker carry on without a restart, and the viewer loses nothing silently', async () => {
    const apiA = await api();
    const w = await worker();
    const job = await createJob(apiA.url, { runMode: 'ONCE', paceMs: 20 });
    const viewer = new ResumingViewer(() => apiA.url, job.id);
    await viewer.waitFor((v) => v.entries.some((e) => e.event.kind === 'progress' && e.event.stage === 'judge'));

    await stack.redis.stop({ keepData: true });
    await Bun.sleep(1000);
    stack.redis = await startRedis({ port: stack.redis.port, dir: stack.redis.dir, aof: true });
    await viewer.waitFor((v) => v.complete, 60_000);
    viewer.stop();

    expect(statuses(viewer.entries).at(-1)?.status).toBe('completed');
    // Never a seq twice or out of order; a seq lost with Redis's last second is a hole the
    // worker reports in a warning, which the replay shows.
    const seqs = viewer.entries.map((e) => e.event.seq);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    const replay = await fullReplay(apiA.url, job.id);
    const reported = replay
      .map((e) => e.event)
      .filter((e) => e.kind === 'log' && e.level === 'warn' && e.message.includes('missing from its history'));
    const holes = replay.filter((e, i) => i > 0 && e.event.seq !== replay[i - 1]!.event.seq + 1).length;
    expect(holes).toBe(reported.length);
    expect(new Set(seqs)).toEqual(new Set([...seqs, ...replay.map((e) => e.event.seq)]));
    await Promise.all([apiA.stop(), w.stop()]);
  });

  it('2 API processes and 3 workers: viewers on API 1 follow jobs created on API 2 and run by three different workers', async () => {
    const [api1, api2] = await Promise.all([api(), api()]);
    const workers = await Promise.all([1, 2, 3].map(() => worker({ WORKER_CONCURRENCY: '1' })));
    const jobs = await Promise.all([1, 2, 3].map(() => createJob(api2.url, { runMode: 'ONCE', paceMs: 15 })));
    const viewers = jobs.map((job) => new ResumingViewer(() => api1.url, job.id));
    await Promise.all(viewers.map((v) => v.waitFor((x) => x.complete)));

    for (const v of viewers) {
      v.stop();
      expect(seqProblems(v.entries)).toBeUndefined();
      expect(statuses(v.entries).map((e) => e.status)).toEqual(['active', 'completed']);
    }
    // Each worker runs one job at a time, so three jobs running at once ran on three workers.
    const spans = viewers.map((v) => {
      const times = statuses(v.entries).map((e) => Date.parse(e.ts));
      return { from: times[0]!, to: times[1]! };
    });
    const overlap = Math.min(...spans.map((s) => s.to)) - Math.max(...spans.map((s) => s.from));
    expect(overlap).toBeGreaterThan(0);
    await Promise.all([api1.stop(), api2.stop(), ...workers.map((x) => x.stop())]);
  });
});
