// Headway on a Redis that speaks only TLS and requires a password, as managed Redis does: the API
// and a worker connect with REDIS_TLS, REDIS_TLS_CA_FILE (a private CA) and REDIS_PASSWORD, to one
// server (REDIS_URL), to a cluster of three masters (REDIS_CLUSTER_NODES) and to a master and
// replica found through a Sentinel (REDIS_SENTINELS) that speaks TLS too.
import { join } from 'node:path';
import { type JobEventsPage, type JobSummary, redisKeys } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createJob } from '../support/call-api.ts';
import { type ProcessHandle, startApi, startWorker } from '../support/processes.ts';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-cluster.ts';
import { type RedisSentinelHandle, SENTINEL_MASTER_NAME, startRedisSentinel } from '../support/redis-sentinel.ts';
import { waitFor } from '../support/redis-server.ts';
import { startTlsRedis, type TlsRedisHandle } from '../support/redis-tls.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

const PASSWORD = 'tls-secret-4d1e';
const [ACL_USER, ACL_PASSWORD] = ['headway', 'acl-secret-93b0'];
const SENTINEL_PASSWORD = 'sentinel-secret-7c2a';
const keys = redisKeys('tls');
let redis: TlsRedisHandle;
let cluster: RedisClusterHandle;
let sentinel: RedisSentinelHandle;
let api: ProcessHandle & { url: string };
let clusterApi: ProcessHandle & { url: string };
let sentinelApi: ProcessHandle & { url: string };
const workers: ProcessHandle[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startTlsRedis({ password: PASSWORD });
  // The one server is reached as an ACL user (REDIS_USERNAME), the cluster as the default user.
  expect(redis.cli('acl', 'setuser', ACL_USER, 'on', `>${ACL_PASSWORD}`, '~*', '&*', '+@all')).toBe('OK');
  env = {
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    REDIS_TLS: '1',
    REDIS_TLS_CA_FILE: redis.certs.caFile,
    REDIS_USERNAME: ACL_USER,
    REDIS_PASSWORD: ACL_PASSWORD,
    QUEUE_PREFIX: 'tls',
    DATA_DIR: join(redis.dir, 'data'),
  };
  const startCluster = async () => {
    cluster = await startRedisCluster({ replicas: 0, password: PASSWORD, tls: redis.certs });
    const clusterEnv = {
      ...env,
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_CLUSTER_NODES: cluster.nodesSetting,
      REDIS_USERNAME: '',
      REDIS_PASSWORD: PASSWORD,
      QUEUE_PREFIX: '{tls}',
    };
    const [started, worker] = await Promise.all([startApi(clusterEnv), startWorker(clusterEnv)]);
    clusterApi = started;
    workers.push(worker);
  };
  const startSentinel = async () => {
    sentinel = await startRedisSentinel({ password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD, tls: redis.certs });
    const sentinelEnv = {
      ...env,
      // Nothing to fall back to: every connection must go through the Sentinel.
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_SENTINELS: sentinel.sentinelsSetting,
      REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME,
      REDIS_USERNAME: '',
      REDIS_PASSWORD: PASSWORD,
      REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
      DATA_DIR: join(sentinel.dir, 'data'),
    };
    const [started, worker] = await Promise.all([startApi(sentinelEnv), startWorker(sentinelEnv)]);
    sentinelApi = started;
    workers.push(worker);
  };
  const startServer = async () => {
    const [started, worker] = await Promise.all([startApi(env), startWorker(env)]);
    api = started;
    workers.push(worker);
  };
  await Promise.all([startServer(), startCluster(), startSentinel()]);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([api?.stop(), clusterApi?.stop(), sentinelApi?.stop()]);
  await cluster?.stop();
  await sentinel?.stop();
  await redis?.stop();
});

/** Runs the API with `extra` until its output matches `until` (by default: until it exits), then kills it; returns its output. */
async function apiOutput(extra: Record<string, string>, until?: RegExp): Promise<{ output: string; exitCode: number | null }> {
  const proc = Bun.spawn([process.execPath, 'apps/api/src/main.ts'], {
    cwd: join(import.meta.dirname, '../..'),
    env: { ...process.env, ...env, PORT: '0', ...extra },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let output = '';
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) output += decoder.decode(chunk);
  };
  const pumped = Promise.all([pump(proc.stdout), pump(proc.stderr)]);
  const deadline = Date.now() + 10_000;
  while (!until?.test(output) && proc.exitCode === null && Date.now() < deadline) await Bun.sleep(50);
  const exitCode = proc.exitCode;
  proc.kill('SIGKILL');
  await proc.exited;
  await pumped;
  return { output, exitCode };
}

/**
 * Creates a job watched live from the start (the relay's reads and doorbell), waits for it to
 * complete, and returns its events as GET /api/jobs/:id/events replays them (the same as live).
 */
async function runJob(apiUrl: string): Promise<{ id: string; page: JobEventsPage }> {
  const job = await createJob(apiUrl, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 3 } });
  const live = new ProgressClient(wsUrl(apiUrl, `/ws/jobs/${job.id}/progress`));
  await live.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 20_000);
  live.close();
  let detail: JobSummary = job;
  const deadline = Date.now() + 20_000;
  while (detail.status !== 'completed' && Date.now() < deadline) {
    await Bun.sleep(100);
    detail = (await callApi(apiUrl, 'GET', `/api/jobs/${job.id}`)).body;
  }
  expect([detail.status, detail.percentage]).toEqual(['completed', 100]);
  const { status, body } = await callApi(apiUrl, 'GET', `/api/jobs/${job.id}/events?limit=5000`);
  expect(status).toBe(200);
  const page = body as JobEventsPage;
  expect(page.entries.map((e) => e.event.seq)).toEqual(Array.from({ length: page.entries.length }, (_, i) => i + 1));
  expect(page.entries.length).toBeGreaterThan(10);
  expect(page.entries.at(-1)?.event).toMatchObject({ kind: 'status', status: 'completed' });
  expect(live.events).toEqual(page.entries);
  return { id: job.id, page };
}

describe('Headway on a Redis with TLS and a password', () => {
  it('runs a job to completed as an ACL user, watched live, and replays the same events over GET /api/jobs/:id/events', async () => {
    const { id, page } = await runJob(api.url);
    // The events are in the TLS server's stream (its only port), all of them, written as the ACL user.
    expect(redis.cli('xlen', keys.events(id))).toBe(String(page.entries.length));
    expect(redis.cli('client', 'list')).toContain(`user=${ACL_USER}`);
  });

  it('runs a job to completed on a cluster whose nodes speak only TLS, watched live and replayed', async () => {
    const { id, page } = await runJob(clusterApi.url);
    const stream = redisKeys('{tls}').events(id);
    expect(cluster.cli(cluster.masterOf(stream), 'xlen', stream)).toBe(String(page.entries.length));
  });

  it('runs a job to completed on a master found through a Sentinel, all speaking only TLS with passwords, watched live and replayed', async () => {
    const { id, page } = await runJob(sentinelApi.url);
    // Written to the master the Sentinel names (over TLS), and replicated over TLS to the replica.
    expect(sentinel.currentMaster()).toBe(sentinel.master.port);
    const xlen = (port: number) => sentinel.cli(port, 'xlen', keys.events(id));
    expect(xlen(sentinel.master.port)).toBe(String(page.entries.length));
    await waitFor('the replica never caught up', () => xlen(sentinel.replica.port) === String(page.entries.length), 5_000);
  });

  it('checks the certificate: without the CA file the API cannot connect, and says why', async () => {
    const { output } = await apiOutput({ REDIS_TLS_CA_FILE: '' }, /reconnecting/);
    expect(output).toMatch(
      /redis:\/\/127\.0\.0\.1:\d+ \(TLS\): .*(self[- ]signed|unable to (get|verify)|UNABLE_TO|SELF_SIGNED).*; reconnecting/i,
    );
    expect(output).not.toContain(ACL_PASSWORD);
  });

  it('stops at start, for a wrong password, saying Redis refused it and which variable to set, never the password', async () => {
    const wrong = 'wrong-secret-5a77';
    const { output, exitCode } = await apiOutput({ REDIS_PASSWORD: wrong });
    expect(exitCode).toBe(1);
    expect(output).toMatch(
      /redis:\/\/127\.0\.0\.1:\d+ \(TLS\) refused the login: WRONGPASS[^\n]*; set REDIS_PASSWORD \(and REDIS_USERNAME for an ACL user\)/,
    );
    expect(output).not.toContain('listening');
    expect(output).not.toContain(wrong);
  });

  it('refuses to start with a CA file it cannot read, naming the variable and the path', async () => {
    const missing = join(redis.dir, 'no-such-ca.pem');
    const { output, exitCode } = await apiOutput({ REDIS_TLS_CA_FILE: missing });
    expect(exitCode).not.toBe(0);
    expect(exitCode).not.toBeNull();
    expect(output).toContain(`REDIS_TLS_CA_FILE "${missing}" cannot be read`);
  });
});
