import { describe, expect, it } from 'vitest';
import { createArtifactStore, s3StoreOptions } from './create-artifact-store.ts';
import { LocalArtifactStore } from './local-artifact-store.ts';
import { S3ArtifactStore } from './s3-artifact-store.ts';

const keys = { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' };

describe('createArtifactStore', () => {
  it('opens a folder for a path and a bucket for s3://', () => {
    expect(createArtifactStore('/tmp/hw-artifacts', {})).toBeInstanceOf(LocalArtifactStore);
    const s3 = createArtifactStore('s3://runs/headway/artifacts/', { ...keys, AWS_REGION: 'eu-west-3' });
    expect(s3).toBeInstanceOf(S3ArtifactStore);
    expect(s3.where).toBe('s3://runs/headway/artifacts');
  });

  it('reads the AWS_ variables, or their S3_ names, the AWS_ one first', () => {
    expect(
      s3StoreOptions('s3://b', {
        S3_ENDPOINT: 'http://minio:9000',
        S3_ACCESS_KEY_ID: 'a',
        S3_SECRET_ACCESS_KEY: 's',
        S3_SESSION_TOKEN: 't',
      }),
    ).toEqual({
      bucket: 'b',
      prefix: '',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      accessKeyId: 'a',
      secretAccessKey: 's',
      sessionToken: 't',
    });
    expect(
      s3StoreOptions('s3://b/p', {
        ...keys,
        S3_ACCESS_KEY_ID: 'other',
        AWS_ENDPOINT_URL: 'http://x',
        S3_ENDPOINT: 'http://y',
        AWS_REGION: 'r1',
        S3_REGION: 'r2',
      }),
    ).toEqual({
      bucket: 'b',
      prefix: 'p',
      endpoint: 'http://x',
      region: 'r1',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      sessionToken: undefined,
    });
  });

  it('names the variable that is missing, and a malformed s3:// setting', () => {
    expect(() => createArtifactStore('s3://b', { AWS_REGION: 'r', AWS_SECRET_ACCESS_KEY: 's' })).toThrow(
      'ARTIFACT_STORE is s3://b, so AWS_ACCESS_KEY_ID (or S3_ACCESS_KEY_ID) must be set',
    );
    expect(() => createArtifactStore('s3://b', { AWS_REGION: 'r', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: '' })).toThrow(
      'ARTIFACT_STORE is s3://b, so AWS_SECRET_ACCESS_KEY (or S3_SECRET_ACCESS_KEY) must be set',
    );
    expect(() => createArtifactStore('s3://b', keys)).toThrow('ARTIFACT_STORE is s3://b, so AWS_REGION (or S3_REGION) must be set');
    expect(() => createArtifactStore('s3:///prefix', keys)).toThrow(
      'ARTIFACT_STORE must read s3://bucket or s3://bucket/prefix, got "s3:///prefix"',
    );
  });
});
