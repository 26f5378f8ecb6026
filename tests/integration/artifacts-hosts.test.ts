// Workers on two hosts, stood in for by two worker processes with DATA_DIRs of their own, store
// their runs' files in one S3-compatible bucket (a real server on a free port), and one API, with
// a DATA_DIR of its own too, serves every job's files: the bytes a viewer downloads are the ones
// each job's artifact events vouched for, whichever worker ran it.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactInfo, JobSummary } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../support/call-api.ts';
import { type S3Handle, startS3 } from '../support/s3-server.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { until } from '../support/until.ts';

let stack: TestStack;
let s3: S3Handle;
let api: ApiProcess;
/** Each host's DATA_DIR, side by side in the stack's folder: the API's is the stack's own. */
const folders = { api: '', a: '', b: '' };

beforeAll(async () => {
  [stack, s3] = await Promise.all([startStack({ prefix: 'hosts', dataDir: 'api', api: false }), startS3()]);
  folders.api = stack.dataDir;
  for (const name of ['a', 'b'] as const) mkdirSync((folders[name] = join(stack.dir, name)));
  const env = { WORKER_CONCURRENCY: '1', ...s3.env('runs') };
  [api] = await Promise.all([
    stack.startApi(env),
    stack.addWorker({ ...env, DATA_DIR: folders.a }),
    stack.addWorker({ ...env, DATA_DIR: folders.b }),
  ]);
});

afterAll(async () => {
  await stack?.stop();
  await s3?.stop();
});

const sha256 = (bytes: ArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

describe('artifacts across hosts', () => {
  it('serves from one API the files that jobs run on two workers stored in one bucket, byte for byte', async () => {
    // Paced, so that with one job at a time each both workers get one.
    const jobs = await Promise.all(
      [1, 2].map(() => createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 1 } })),
    );
    for (const job of jobs) {
      await until(
        async () => (await (await fetch(`${api.url}/api/jobs/${job.id}`)).json()) as JobSummary,
        (summary) => summary.status === 'completed',
        60_000,
      );
    }
    // Each worker ran one: its working folder holds that job's own files, the other's not.
    const ranOn = (folder: string) => readdirSync(join(folder, 'jobs')).sort();
    expect([...ranOn(folders.a), ...ranOn(folders.b)].sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(ranOn(folders.a)).toHaveLength(1);

    for (const job of jobs) {
      const { artifacts } = (await (await fetch(`${api.url}/api/jobs/${job.id}/artifacts`)).json()) as { artifacts: ArtifactInfo[] };
      expect(artifacts.map((a) => a.name)).toEqual(expect.arrayContaining(['report.md', 'summary.md', 'completeness-radar.svg']));
      for (const artifact of artifacts) {
        const res = await fetch(`${api.url}/api/jobs/${job.id}/artifacts/${artifact.name}`);
        expect(res.status, artifact.name).toBe(200);
        expect(sha256(await res.arrayBuffer()), artifact.name).toBe(artifact.sha256);
      }
      const summary = (await (await fetch(`${api.url}/api/jobs/${job.id}`)).json()) as JobSummary;
      expect(summary.artifacts).toBe(artifacts.length);
    }
    // Nothing went through the API's own folder, nor the workers': the bucket holds it all.
    expect(readdirSync(folders.api)).toEqual([]);
    for (const folder of [folders.a, folders.b]) expect(readdirSync(folder)).toEqual(['jobs']);
  });
});
