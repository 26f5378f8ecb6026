// Headway on a Redis Cluster (3 masters, 3 replicas): API and worker processes connect with
// REDIS_CLUSTER_NODES, jobs' keys spread over every master, and viewers on any API get every
// event once and in order, whichever process runs the job. Every node requires a password
// (REDIS_PASSWORD), as managed clusters do.
import { join } from 'node:path';
import { type JobSummary, redisKeys } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATCH_UP_MS } from '../../apps/api/src/relay.ts';
import { createJob } from '../support/call-api.ts';
import { type ProcessHandle, startApi, startWorker } from '../support/processes.ts';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-cluster.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

let cluster: RedisClusterHandle;
let apis: (ProcessHandle & { url: string })[];
let workers: ProcessHandle[];
let env: Record<string, string>;
const keys = redisKeys('{hw}');
const PASSWORD = 'cluster-secret-7f3a';

beforeAll(async () => {
  cluster = await startRedisCluster({ password: PASSWORD });
  // REDIS_URL points nowhere: every connection must go through the cluster.
  env = {
    REDIS_CLUSTER_NODES: cluster.nodesSetting,
    REDIS_PASSWORD: PASSWORD,
    REDIS_URL: 'redis://127.0.0.1:1',
    DATA_DIR: join(cluster.dir, 'data'),
  };
  [apis, workers] = await Promise.all([
    Promise.all([startApi(env), startApi(env)]),
    Promise.all([1, 2, 3].map(() => startWorker({ ...env, WORKER_CONCURRENCY: '4' }))),
  ]);
});

afterAll(async () => {
  await Promise.all([...(apis ?? []), ...(workers ?? [])].map((p) => p.stop()));
  await cluster?.stop();
});

const watch = (apiUrl: string, jobId: string, query = '') => new ProgressClient(wsUrl(apiUrl, `/ws/jobs/${jobId}/progress${query}`));
/** Milliseconds from each entry's creation (its stream id) to its arrival at the viewer. */
function delays(viewer: ProgressClient): number[] {
  const out: number[] = [];
  viewer.socket.addEventListener('message', (m) => {
    const message = JSON.parse(String(m.data));
    const ids: string[] =
      message.type === 'progress' ? [message.id] : message.type === 'logs' ? message.lines.map((l: { id: string }) => l.id) : [];
    for (const id of ids) out.push(Date.now() - Number(id.split('-')[0]));
  });
  return out;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ended = (c: ProgressClient) => c.messages.some((m) => m.type === 'job_complete');
const seqs = (c: ProgressClient) => c.events.map((e) => e.event.seq);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('Headway on a Redis Cluster', () => {
  it("runs a job's whole lifecycle: created on one API, run by a worker, watched live and replayed", async () => {
    const job = await createJob(apis[0]!.url, { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 4 } });
    expect(job.status).toBe('waiting');
    const live = watch(apis[0]!.url, job.id);
    await live.waitFor(ended, 30_000);
    live.close();
    expect(live.messages[0]?.type).toBe('initial_status');
    expect(seqs(live)).toEqual(oneToN(live.events.length));
    expect(live.events.length).toBeGreaterThan(50);
    expect(live.messages.filter((m) => m.type === 'job_complete')).toEqual([{ type: 'job_complete', status: 'completed' }]);

    const late = watch(apis[1]!.url, job.id, '?after=0');
    await late.waitFor(ended, 10_000);
    late.close();
    expect(late.events).toEqual(live.events);

    const detail = (await (await fetch(`${apis[1]!.url}/api/jobs/${job.id}`)).json()) as JobSummary;
    expect([detail.status, detail.percentage]).toEqual(['completed', 100]);
    // BullMQ keeps the job under the tagged prefix; the job's own keys hash on its id.
    const bullKey = `{hw}:pipelines:${job.id}`;
    expect(cluster.cli(cluster.masterOf(bullKey), 'exists', bullKey)).toBe('1');
    expect(cluster.cli(cluster.masterOf(keys.events(job.id)), 'exists', keys.events(job.id))).toBe('1');
  });

  it('gives 20 viewers joining a busy job at random moments, on both APIs, each seq 1..N exactly once, in order', async () => {
    const job = await createJob(apis[0]!.url, { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 2 } });
    const viewers: ProgressClient[] = [];
    for (let i = 0; i < 20; i++) {
      await Bun.sleep(Math.random() * 80);
      viewers.push(watch(apis[i % 2]!.url, job.id));
    }
    await Promise.all(viewers.map((v) => v.waitFor(ended, 30_000)));
    const joinedAt = viewers.map((v) => (v.messages[0]?.type === 'initial_status' ? v.messages[0].cursor : ''));
    expect(new Set(joinedAt).size).toBeGreaterThan(3);
    const reference = viewers[0]!.events;
    expect(seqs(viewers[0]!)).toEqual(oneToN(reference.length));
    for (const viewer of viewers) {
      expect(viewer.events).toEqual(reference);
      expect(viewer.messages.filter((m) => m.type === 'job_complete')).toHaveLength(1);
      viewer.close();
    }
  });

  it('spreads jobs over all three masters, run by 3 workers and watched on 2 APIs, every viewer getting seq 1..N once', async () => {
    const masters = cluster.masters();
    expect(masters).toHaveLength(3);
    const jobs: { id: string; master: number; viewer: ProgressClient; delays: number[] }[] = [];
    // Job ids are BullMQ's counter: create until each master holds at least two jobs' keys.
    while (masters.some((m) => jobs.filter((j) => j.master === m).length < 2)) {
      expect(jobs.length).toBeLessThan(40);
      const job = await createJob(apis[jobs.length % 2]!.url, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 3 } });
      // Watched on the other API than the one it was created on.
      const viewer = watch(apis[(jobs.length + 1) % 2]!.url, job.id);
      jobs.push({ id: job.id, master: cluster.masterOf(keys.events(job.id)), viewer, delays: delays(viewer) });
    }
    await Promise.all(jobs.map((j) => j.viewer.waitFor(ended, 30_000)));
    for (const { id, master, viewer } of jobs) {
      viewer.close();
      expect(seqs(viewer), `job ${id}`).toEqual(oneToN(viewer.events.length));
      expect(viewer.events.length).toBeGreaterThan(10);
      expect(viewer.messages.filter((m) => m.type === 'job_complete')).toEqual([{ type: 'job_complete', status: 'completed' }]);
      // The stream really is on that master (a node answers MOVED for a key it does not serve).
      expect(cluster.cli(master, 'xlen', keys.events(id))).toBe(String(viewer.events.length));
      expect(cluster.cli(master, 'get', keys.seq(id))).toBe(String(viewer.events.length));
    }
    expect(new Set(jobs.map((j) => j.master))).toEqual(new Set(masters));
    // Rung by each master's SPUBLISH, not found by the catch-up read (every CATCH_UP_MS = 2 s):
    // waiting for that would put the median near 1000 ms.
    expect(median(jobs.flatMap((j) => j.delays))).toBeLessThan(250);
  });

  it('delivers an entry whose ring was lost by the periodic catch-up read, once', async () => {
    const job = await createJob(apis[0]!.url, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 0 } });
    const viewer = watch(apis[1]!.url, job.id);
    await viewer.waitFor(ended, 30_000);
    const n = viewer.events.length;
    // Written straight to the stream, as a script whose SPUBLISH never arrived would leave it.
    const event = { kind: 'log', jobId: job.id, attempt: 1, ts: new Date().toISOString(), level: 'info', message: 'ring lost' };
    const id = cluster.cli(
      cluster.masterOf(keys.events(job.id)),
      'xadd',
      keys.events(job.id),
      '*',
      'seq',
      String(n + 1),
      'e',
      JSON.stringify(event),
    );
    await viewer.waitFor((c) => c.events.length > n, CATCH_UP_MS + 1000);
    await Bun.sleep(CATCH_UP_MS + 200);
    viewer.close();
    expect(viewer.events.slice(n)).toEqual([{ id, event: { ...event, seq: n + 1 } }]);
  });

  it('refuses to start an API or a worker whose queue prefix has no hash tag, saying why', async () => {
    for (const main of ['apps/api/src/main.ts', 'apps/worker/src/main.ts']) {
      const proc = Bun.spawn([process.execPath, main], {
        cwd: `${import.meta.dirname}/../..`,
        env: { ...process.env, ...env, PORT: '0', QUEUE_PREFIX: 'hw' },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      expect(await proc.exited, main).not.toBe(0);
      const output = (await new Response(proc.stdout).text()) + (await new Response(proc.stderr).text());
      expect(output).toContain(
        'QUEUE_PREFIX "hw" has no hash tag: on a Redis Cluster (REDIS_CLUSTER_NODES) it must hold one, e.g. "{hw}", so BullMQ\'s keys of the queue share a slot',
      );
    }
  });

  it('stops an API given a wrong password and a worker given none, saying Redis refused them and which variable to set, never the password', async () => {
    const wrong = 'not-the-password-91c2';
    const cases: [string, Record<string, string>, string][] = [
      ['apps/api/src/main.ts', { REDIS_PASSWORD: wrong }, 'WRONGPASS'],
      ['apps/worker/src/main.ts', { REDIS_PASSWORD: '' }, 'NOAUTH'],
    ];
    for (const [main, extra, answer] of cases) {
      const proc = Bun.spawn([process.execPath, main], {
        cwd: `${import.meta.dirname}/../..`,
        env: { ...process.env, ...env, PORT: '0', ...extra },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      expect(await proc.exited, main).toBe(1);
      const output = (await new Response(proc.stdout).text()) + (await new Response(proc.stderr).text());
      expect(output, main).toMatch(
        new RegExp(
          `cluster 127\\.0\\.0\\.1:\\d+[^\\n]* refused the login: ${answer}[^\\n]*; set REDIS_PASSWORD \\(and REDIS_USERNAME for an ACL user\\)`,
        ),
      );
      expect(output).not.toContain(wrong);
      expect(output).not.toContain(PASSWORD);
    }
  });
});
