// A private S3-compatible server (s3rver, a dev dependency, run with Node) on a free port for one
// test file or benchmark, with one bucket, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './redis-server.ts';

export interface S3Handle {
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's one account; it checks signatures made with these. */
  accessKeyId: string;
  secretAccessKey: string;
  /** The variables a Headway process reads to use this server (ARTIFACT_STORE with `prefix`). */
  env(prefix?: string): Record<string, string>;
  /** Kills the server and removes its data. */
  stop(): Promise<void>;
}

const s3rverBin = join(dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');

export async function startS3({ bucket = 'headway-test' }: { bucket?: string } = {}): Promise<S3Handle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hw-s3-'));
  const proc = Bun.spawn(
    [
      'node',
      s3rverBin,
      '--directory',
      dir,
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--silent',
      '--no-vhost-buckets',
      '--configure-bucket',
      bucket,
    ],
    { stdout: 'ignore', stderr: 'inherit' },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    // The bucket answers once the server is up and has created it.
    const status = await fetch(`${endpoint}/${bucket}?list-type=2&max-keys=0`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200 || status === 403) break;
    if (proc.exitCode !== null) throw new Error(`s3rver exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error(`s3rver did not answer on port ${port}`);
    await Bun.sleep(50);
  }
  const handle: S3Handle = {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    env: (prefix = '') => ({
      ARTIFACT_STORE: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
      S3_ENDPOINT: endpoint,
      AWS_REGION: handle.region,
      AWS_ACCESS_KEY_ID: handle.accessKeyId,
      AWS_SECRET_ACCESS_KEY: handle.secretAccessKey,
    }),
    async stop() {
      proc.kill('SIGKILL');
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
