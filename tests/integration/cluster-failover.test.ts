// Headway through the faults of Redis beyond one server: cancels on a Redis Cluster, a graceful
// CLUSTER FAILOVER and a crashed master mid-job (writes retried once each, viewers resuming with no
// duplicate, any lost event named in the job's log), and a Sentinel promoting a replica mid-job.
import { join } from 'node:path';
import { compareIds, type JobEvent, redisKeys } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCEL_SWEEP_MS } from '../../apps/worker/src/cancel-listener.ts';
import { callApi, createJob } from '../support/call-api.ts';
import { JobListClient } from '../support/job-list-client.ts';
import { type ProcessHandle, startApi, startWorker } from '../support/processes.ts';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-cluster.ts';
import { type RedisSentinelHandle, SENTINEL_MASTER_NAME, startRedisSentinel } from '../support/redis-sentinel.ts';
import { ResumingViewer, seqProblems } from '../support/resuming-viewer.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const keys = redisKeys('{hw}');
/** A job that runs for several seconds, writing a few events each tick. */
const LONG = { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 12 } };

const statuses = (entries: readonly { event: JobEvent }[]) =>
  entries.flatMap(({ event }) => (event.kind === 'status' ? [`${event.status}@${event.attempt}`] : []));
const lostWarnings = (entries: readonly { event: JobEvent }[]) =>
  entries.flatMap(({ event }) =>
    event.kind === 'log' && event.level === 'warn' && /^Redis lost/.test(event.message) ? [event.message] : [],
  );

async function fullReplay(apiUrl: string, jobId: string) {
  const client = new ProgressClient(wsUrl(apiUrl, `/ws/jobs/${jobId}/progress?after=0`));
  await client.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 10_000);
  client.close();
  return client.events;
}

/** Every event a viewer got, checked: ids and seqs strictly increasing (so none twice, none out of order). */
function expectInOrderOnce(entries: readonly { id: string; event: JobEvent }[]) {
  const ids = entries.map((e) => e.id.split('-').map(BigInt) as [bigint, bigint]);
  const after = (a: [bigint, bigint], b: [bigint, bigint]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
  expect(ids.every((id, i) => i === 0 || after(id, ids[i - 1]!))).toBe(true);
  const seqs = entries.map((e) => e.event.seq);
  expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
}

/** The seq windows missing from a full replay, as the worker's warning names them. */
function holes(replay: readonly { event: JobEvent }[]): string[] {
  return replay.flatMap(({ event }, i) => {
    const before = i === 0 ? 0 : replay[i - 1]!.event.seq;
    if (event.seq === before + 1) return [];
    return [event.seq === before + 2 ? `event ${before + 1}` : `events ${before + 1}–${event.seq - 1}`];
  });
}

describe('on a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let apis: (ProcessHandle & { url: string })[] = [];
  let workers: ProcessHandle[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const env = {
      REDIS_CLUSTER_NODES: cluster.nodesSetting,
      REDIS_URL: 'redis://127.0.0.1:1',
      DATA_DIR: join(cluster.dir, 'data'),
    };
    [apis, workers] = await Promise.all([
      Promise.all([startApi(env), startApi(env)]),
      Promise.all([1, 2].map(() => startWorker({ ...env, WORKER_CONCURRENCY: '4' }))),
    ]);
  });

  afterAll(async () => {
    await Promise.all([...apis, ...workers].map((p) => p.stop()));
    await cluster?.stop();
  });

  const safeMasterOf = (key: string) => {
    try {
      return cluster.masterOf(key);
    } catch {
      return undefined;
    }
  };
  const until = async (ok: () => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      expect(Date.now(), 'the cluster did not settle').toBeLessThan(deadline);
      await Bun.sleep(20);
    }
  };

  /** A long job, watched on API 2 until it has written `events` events. */
  async function runningJob(events = 20) {
    const job = await createJob(apis[0]!.url, LONG);
    const viewer = new ResumingViewer(() => apis[1]!.url, job.id);
    await viewer.waitFor((v) => v.entries.length >= events, 20_000);
    return { id: job.id, viewer, master: cluster.masterOf(keys.events(job.id)) };
  }

  it('cancels a running job from either API: its viewer sees it cancelled, with nothing after', async () => {
    for (const api of apis) {
      const { id, viewer } = await runningJob(5);
      const res = await callApi(api.url, 'POST', `/api/jobs/${id}/cancel`, { body: { reason: 'from a test' } });
      expect(res.status).toBe(202);
      await viewer.waitFor((v) => v.complete, 5000);
      viewer.stop();
      expect(statuses(viewer.entries)).toEqual(['active@1', 'cancelled@1']);
      expect(viewer.entries.at(-1)?.event).toMatchObject({ kind: 'status', status: 'cancelled' });
      expect(viewer.messages.filter((m) => m.type === 'job_complete')).toEqual([{ type: 'job_complete', status: 'cancelled' }]);
    }
  });

  it('cancels a running job whose control message never arrived (its subscriber moved node), by the periodic read', async () => {
    const { id, viewer } = await runningJob(5);
    // Recorded, never published: what a worker whose subscriber was between nodes would miss.
    expect(cluster.cli(cluster.masterOf(keys.cancelRequest(id)), 'set', keys.cancelRequest(id), 'Cancelled: by a test')).toBe('OK');
    const asked = Date.now();
    await viewer.waitFor((v) => v.complete, CANCEL_SWEEP_MS + 3000);
    viewer.stop();
    expect(Date.now() - asked).toBeLessThan(CANCEL_SWEEP_MS + 1500);
    expect(statuses(viewer.entries)).toEqual(['active@1', 'cancelled@1']);
    // Honoured, so forgotten.
    expect(cluster.cli(cluster.masterOf(keys.cancelRequest(id)), 'exists', keys.cancelRequest(id))).toBe('0');
  });

  it("serves Bull Board's page and its queue counts from the cluster", async () => {
    const page = await fetch(`${apis[1]!.url}/admin/queues`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    const res = await callApi(apis[1]!.url, 'GET', '/admin/queues/api/queues?activeQueue=pipelines&status=failed&page=1');
    expect(res.status).toBe(200);
    const queue = (res.body.queues as { name: string; counts: Record<string, number> }[]).find((q) => q.name === 'pipelines');
    // The two cancelled jobs of the tests above and the swept one are failed in BullMQ's terms.
    expect(queue?.counts.failed).toBe(3);
    // Its server stats (INFO, the one command Bull Board does not route by key) answer too.
    const stats = await callApi(apis[1]!.url, 'GET', '/admin/queues/api/redis/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('goes through a graceful CLUSTER FAILOVER of the job’s master and of the queue’s master mid-job: nothing lost, nothing twice', async () => {
    const list = new JobListClient(apis[1]!.url);
    const { id, viewer, master } = await runningJob(30);
    const queueMaster = cluster.masterOf(`{hw}:pipelines:${id}`);
    const promoted = new Map<number, number>();
    for (const port of new Set([master, queueMaster])) {
      const replica = cluster.replicaOf(port);
      expect(cluster.cli(replica, 'cluster', 'failover')).toBe('OK');
      await until(() => cluster.cli(replica, 'role').startsWith('master'));
      promoted.set(port, replica);
    }
    // Every node's view of the slots catches up within a few gossip rounds.
    await until(() => safeMasterOf(keys.events(id)) === promoted.get(master));
    const failedOverAt = viewer.entries.length;
    await viewer.waitFor((v) => v.complete, 30_000);
    viewer.stop();
    expect(viewer.entries.length).toBeGreaterThan(failedOverAt);
    expect(seqProblems(viewer.entries)).toBeUndefined();
    expect(statuses(viewer.entries)).toEqual(['active@1', 'completed@1']);
    const replay = await fullReplay(apis[0]!.url, id);
    expect(replay).toEqual(viewer.entries.map(({ id, event }) => ({ id, event })));
    const newMaster = cluster.masterOf(keys.events(id));
    expect(cluster.cli(newMaster, 'xlen', keys.events(id))).toBe(String(replay.length));
    expect(cluster.cli(newMaster, 'get', keys.seq(id))).toBe(String(replay.length));
    // The job list, fed through the queue's master, saw the job end too.
    await list.waitFor((c) => c.view?.jobs.find((j) => j.id === id)?.status === 'completed', 10_000);
    list.close();
  });

  it('goes through a SIGKILL of the master holding a running job’s keys that loses acknowledged writes: the job completes, viewers get nothing twice, the hole is named', async () => {
    // A job whose keys are not on the queue's master, so only the job's stream fails over.
    let job = await runningJob(10);
    while (job.master === cluster.masterOf(`{hw}:pipelines:${job.id}`)) {
      await callApi(apis[0]!.url, 'POST', `/api/jobs/${job.id}/cancel`, { body: {} });
      job.viewer.stop();
      job = await runningJob(10);
    }
    const { id, viewer, master } = job;
    const replica = cluster.replicaOf(master);
    // The replica stops following: what the master acknowledges from here on is on no other node.
    cluster.node(replica).proc.kill('SIGSTOP');
    cluster.cli(master, 'client', 'kill', 'type', 'replica');
    const seen = viewer.entries.length;
    await viewer.waitFor((v) => v.entries.length >= seen + 20, 10_000);
    cluster.node(master).proc.kill('SIGKILL');
    cluster.node(replica).proc.kill('SIGCONT');
    const killedAt = viewer.entries.length;
    await viewer.waitFor((v) => v.complete, 40_000);
    viewer.stop();
    await until(() => safeMasterOf(keys.events(id)) === replica);
    expect(viewer.entries.length).toBeGreaterThan(killedAt);
    expect(statuses(viewer.entries)).toEqual(['active@1', 'completed@1']);
    expectInOrderOnce(viewer.entries);

    // The replay lacks what died with the master; the job's own log names exactly that.
    const replay = await fullReplay(apis[0]!.url, id);
    const missing = holes(replay);
    expect(missing).toHaveLength(1);
    expect(lostWarnings(replay)).toEqual([
      `Redis lost this job's ${missing[0]} (a restart or failover before they were saved or replicated); they are missing from its history`,
    ]);
    // Whatever the replay holds, the live viewer had, with the same id: nothing new was slipped
    // in below a cursor a viewer already held.
    const live = new Map(viewer.entries.map((e) => [e.id, e.event]));
    for (const entry of replay) expect(live.get(entry.id)).toEqual(entry.event);
    // A viewer resuming from a lost entry's id (the last it got before a reconnect) gets
    // everything the stream holds after it, once.
    const lostEntry = viewer.entries.findLast((e) => !replay.some((r) => r.id === e.id))!;
    const resumed = new ProgressClient(wsUrl(apis[1]!.url, `/ws/jobs/${id}/progress?after=${lostEntry.id}`));
    await resumed.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 10_000);
    resumed.close();
    const newer = replay.filter((e) => compareIds(e.id, lostEntry.id) > 0);
    expect(newer.length).toBeGreaterThan(0);
    expect(resumed.events).toEqual(newer);
  });
});

describe('on Redis Sentinel', () => {
  let sentinel: RedisSentinelHandle;
  let api: ProcessHandle & { url: string };
  let worker: ProcessHandle;

  let env: Record<string, string>;

  beforeAll(async () => {
    // Master, replica and Sentinel each require a password, as a managed set-up's would.
    sentinel = await startRedisSentinel({ password: 'data-secret', sentinelPassword: 'sentinel-secret' });
    env = {
      REDIS_SENTINELS: sentinel.sentinelsSetting,
      REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME,
      REDIS_PASSWORD: 'data-secret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_URL: 'redis://127.0.0.1:1',
      DATA_DIR: join(sentinel.dir, 'data'),
    };
    [api, worker] = await Promise.all([startApi(env), startWorker(env)]);
  });

  afterAll(async () => {
    await Promise.all([api, worker].map((p) => p?.stop()));
    await sentinel?.stop();
  });

  it('stops a worker whose Sentinel password or data password is wrong, naming the variable to set', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ REDIS_SENTINEL_PASSWORD: 'wrong-1' }, "set REDIS_SENTINEL_PASSWORD (the Sentinels' own requirepass)"],
      [{ REDIS_PASSWORD: 'wrong-2' }, 'set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user)'],
    ];
    for (const [extra, hint] of cases) {
      const proc = Bun.spawn([process.execPath, 'apps/worker/src/main.ts'], {
        cwd: join(import.meta.dirname, '../..'),
        env: { ...process.env, ...env, ...extra },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      expect(await proc.exited).toBe(1);
      const output = (await new Response(proc.stdout).text()) + (await new Response(proc.stderr).text());
      expect(output).toContain(`sentinel ${SENTINEL_MASTER_NAME} at ${sentinel.sentinelsSetting} refused the login: `);
      expect(output).toContain(hint);
      expect(output).not.toMatch(/wrong-\d|data-secret|sentinel-secret/);
    }
  });

  it('completes a running job after its master is killed and the Sentinel promotes the replica', async () => {
    const job = await createJob(api.url, LONG);
    const viewer = new ResumingViewer(() => api.url, job.id);
    await viewer.waitFor((v) => v.entries.length >= 20, 20_000);
    await sentinel.master.stop();
    const killedAt = viewer.entries.length;
    await viewer.waitFor((v) => v.complete, 40_000);
    viewer.stop();
    expect(sentinel.currentMaster()).toBe(sentinel.replica.port);
    expect(viewer.entries.length).toBeGreaterThan(killedAt);
    expect(statuses(viewer.entries)).toEqual(['active@1', 'completed@1']);
    expectInOrderOnce(viewer.entries);
    const replay = await fullReplay(api.url, job.id);
    expect(lostWarnings(replay)).toEqual(holes(replay).map((window) => expect.stringContaining(window)));
  });
});
