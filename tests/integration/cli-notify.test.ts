// `headway watch --notify` as a user runs it: when the job ends, the terminal's bell on standard
// error, and a desktop notification through the notify-send found on PATH (here a script that
// records its arguments); without --notify, neither.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../support/call-api.ts';
import { type ProcessHandle, startApi, startWorker } from '../support/processes.ts';
import { type RedisHandle, startRedis } from '../support/redis-server.ts';
import { until } from '../support/until.ts';

const root = join(import.meta.dirname, '../..');
const BELL = '\x07';
let redis: RedisHandle;
let api: ProcessHandle & { url: string };
let worker: ProcessHandle;
let dir: string;
let jobId: string;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'hw-cli-notify-'));
  const env = { REDIS_URL: redis.url, QUEUE_PREFIX: 'cli-notify', DATA_DIR: join(dir, 'data') };
  [api, worker] = await Promise.all([startApi(env), startWorker(env)]);
  jobId = (await createJob(api.url, { pipeline: 'literature-review', name: 'Bell test', input: { runMode: 'ONCE', paceMs: 0 } })).id;
  await until(
    () => fetch(`${api.url}/api/jobs/${jobId}`).then((r) => r.json() as Promise<{ status: string }>),
    (job) => job.status === 'completed',
  );
  writeFileSync(join(dir, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${join(dir, 'notified')}\n`);
  chmodSync(join(dir, 'notify-send'), 0o755);
});

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function headway(args: string[], path: string) {
  const proc = Bun.spawn([process.execPath, 'apps/cli/src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, HEADWAY_API_URL: api.url, PATH: path },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

describe('headway watch --notify', () => {
  it('rings the bell and shows a desktop notification when the job ends', async () => {
    const { code, stdout, stderr } = await headway(['watch', jobId, '--notify'], `${dir}:${process.env.PATH}`);
    expect(code).toBe(0);
    expect(stderr).toBe(BELL);
    expect(stdout).not.toContain(BELL);
    expect(stdout).toMatch(/completed/);
    expect(readFileSync(join(dir, 'notified'), 'utf8').split('\n')).toEqual([
      '--app-name=Headway',
      '--urgency=normal',
      '--',
      'Headway: Bell test completed',
      `job ${jobId}`,
      '',
    ]);
  });

  it('rings the bell alone where notify-send is not installed, and nothing without --notify', async () => {
    rmSync(join(dir, 'notified'), { force: true });
    const noNotifySend = '/usr/bin:/bin';
    const alone = await headway(['watch', jobId, '--notify'], noNotifySend);
    expect([alone.code, alone.stderr]).toEqual([0, BELL]);
    const quiet = await headway(['watch', jobId], `${dir}:${process.env.PATH}`);
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    expect(quiet.stdout).not.toContain(BELL);
    expect(() => readFileSync(join(dir, 'notified'))).toThrow(/ENOENT/);
  });

  it('refuses --notify where no job is followed', async () => {
    const { code, stderr } = await headway(['pipelines', '--notify'], `${dir}:${process.env.PATH}`);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^headway: --notify is for headway run and watch/);
  });
});
