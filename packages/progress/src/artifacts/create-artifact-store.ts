// The artifact store ARTIFACT_STORE names: `s3://bucket/prefix` for an S3-compatible bucket, or a
// folder (the default, DATA_DIR/artifacts) for one host or a volume shared by every API and worker.
import { resolve } from 'node:path';
import type { ArtifactStore } from './artifact-store.ts';
import { LocalArtifactStore } from './local-artifact-store.ts';
import { S3ArtifactStore, type S3ArtifactStoreOptions } from './s3-artifact-store.ts';

type Env = Record<string, string | undefined>;

export function createArtifactStore(setting: string, env: Env = process.env): ArtifactStore {
  if (setting.startsWith('s3://')) return new S3ArtifactStore(s3StoreOptions(setting, env));
  return new LocalArtifactStore(resolve(setting));
}

/**
 * The bucket and prefix from `s3://bucket/prefix`, the rest from the usual variables, each under
 * its AWS_ name or its S3_ one (the AWS_ one wins): AWS_ENDPOINT_URL / S3_ENDPOINT (any
 * S3-compatible service; omitted, AWS's own), AWS_REGION / S3_REGION (needed without an
 * endpoint; with one it defaults to us-east-1), AWS_ACCESS_KEY_ID / S3_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY / S3_SECRET_ACCESS_KEY (needed), AWS_SESSION_TOKEN / S3_SESSION_TOKEN.
 */
export function s3StoreOptions(setting: string, env: Env = process.env): S3ArtifactStoreOptions {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(setting);
  if (!match) throw new Error(`ARTIFACT_STORE must read s3://bucket or s3://bucket/prefix, got "${setting}"`);
  const read = (...names: string[]) => names.map((name) => env[name]).find((value) => value !== undefined && value !== '');
  const need = (aws: string, s3: string) => {
    const value = read(aws, s3);
    if (value === undefined) throw new Error(`ARTIFACT_STORE is ${setting}, so ${aws} (or ${s3}) must be set`);
    return value;
  };
  const endpoint = read('AWS_ENDPOINT_URL', 'S3_ENDPOINT');
  const region = endpoint === undefined ? need('AWS_REGION', 'S3_REGION') : (read('AWS_REGION', 'S3_REGION') ?? 'us-east-1');
  return {
    bucket: match[1]!,
    prefix: match[2]!,
    endpoint,
    region,
    accessKeyId: need('AWS_ACCESS_KEY_ID', 'S3_ACCESS_KEY_ID'),
    secretAccessKey: need('AWS_SECRET_ACCESS_KEY', 'S3_SECRET_ACCESS_KEY'),
    sessionToken: read('AWS_SESSION_TOKEN', 'S3_SESSION_TOKEN'),
  };
}
