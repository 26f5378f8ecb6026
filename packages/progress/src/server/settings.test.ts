import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisSecurity, redisTopology, sharedSettings } from './settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'hw-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('redisTopology', () => {
  it('is none (the one Redis at REDIS_URL) by default', () => {
    expect(redisTopology({ REDIS_URL: 'redis://r:7000' })).toBeUndefined();
    expect(sharedSettings({ REDIS_URL: 'redis://r:7000' }).redisUrl).toBe('redis://r:7000');
  });

  it('is a cluster when REDIS_CLUSTER_NODES lists nodes', () => {
    expect(redisTopology({ REDIS_CLUSTER_NODES: 'a:7001, b:7002,', REDIS_URL: 'redis://ignored' })).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7001 },
        { host: 'b', port: 7002 },
      ],
    });
  });

  it('is Sentinel-backed with REDIS_SENTINELS and REDIS_SENTINEL_NAME', () => {
    expect(redisTopology({ REDIS_SENTINELS: 's1:26379,s2:26380', REDIS_SENTINEL_NAME: 'main' })).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'main',
    });
  });

  it('refuses a malformed or ambiguous set-up with a message naming the variable', () => {
    expect(() => redisTopology({ REDIS_CLUSTER_NODES: 'a' })).toThrow('REDIS_CLUSTER_NODES must be host:port,host:port,…, got "a"');
    expect(() => redisTopology({ REDIS_SENTINELS: 's1:26379' })).toThrow('REDIS_SENTINELS needs REDIS_SENTINEL_NAME');
    expect(() => redisTopology({ REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINELS: 's:2' })).toThrow(
      'set REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both',
    );
  });
});

describe('sharedSettings', () => {
  it('takes {hw} as the queue prefix on a cluster, hw on one Redis', () => {
    expect(sharedSettings({ REDIS_CLUSTER_NODES: 'a:1' }).queuePrefix).toBe('{hw}');
    expect(sharedSettings({}).queuePrefix).toBe('hw');
    expect(sharedSettings({ QUEUE_PREFIX: 'x' }).queuePrefix).toBe('x');
  });

  it('refuses a cluster set-up whose queue prefix has no hash tag, saying so', () => {
    expect(() => sharedSettings({ REDIS_CLUSTER_NODES: 'a:1', QUEUE_PREFIX: 'hw' })).toThrow(
      'QUEUE_PREFIX "hw" has no hash tag: on a Redis Cluster (REDIS_CLUSTER_NODES) it must hold one, e.g. "{hw}"',
    );
    expect(sharedSettings({ REDIS_CLUSTER_NODES: 'a:1', QUEUE_PREFIX: 'app{hw}' }).queuePrefix).toBe('app{hw}');
  });
});

describe('redisSecurity', () => {
  it('is none when no credentials or TLS are set, so a plain REDIS_URL stays a plain URL', () => {
    expect(redisSecurity({ REDIS_URL: 'redis://r:7000', REDIS_TLS: '0' })).toBeUndefined();
    expect(redisTopology({ REDIS_URL: 'redis://r:7000', REDIS_TLS: '' })).toBeUndefined();
  });

  it('carries REDIS_USERNAME, REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD to every kind of target', () => {
    const env = { REDIS_USERNAME: 'app', REDIS_PASSWORD: 'p1', REDIS_SENTINEL_PASSWORD: 'p2' };
    const security = { username: 'app', password: 'p1', sentinelPassword: 'p2' };
    expect(redisTopology({ ...env, REDIS_CLUSTER_NODES: 'a:1' })).toEqual({ kind: 'cluster', nodes: [{ host: 'a', port: 1 }], security });
    expect(redisTopology({ ...env, REDIS_SENTINELS: 's:2', REDIS_SENTINEL_NAME: 'm' })).toEqual({
      kind: 'sentinel',
      sentinels: [{ host: 's', port: 2 }],
      name: 'm',
      security,
    });
    expect(redisTopology({ ...env, REDIS_URL: 'redis://r:7000' })).toEqual({ kind: 'server', url: 'redis://r:7000', security });
    expect(redisTopology({ REDIS_PASSWORD: 'p1' })).toEqual({
      kind: 'server',
      url: 'redis://127.0.0.1:6379',
      security: { password: 'p1' },
    });
  });

  it('turns TLS on with REDIS_TLS=1 or true, trusting the PEM of REDIS_TLS_CA_FILE when given', () => {
    expect(redisSecurity({ REDIS_TLS: '1' })).toEqual({ tls: {} });
    expect(redisSecurity({ REDIS_TLS: 'TRUE' })).toEqual({ tls: {} });
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, PEM);
    expect(redisSecurity({ REDIS_TLS: 'true', REDIS_TLS_CA_FILE: ca })).toEqual({ tls: { ca: PEM } });
    // A rediss:// URL asks for TLS itself: the CA file applies to it.
    expect(redisSecurity({ REDIS_URL: 'rediss://r:6380', REDIS_TLS_CA_FILE: ca })).toEqual({ tls: { ca: PEM } });
  });

  it('refuses at start a wrong REDIS_TLS, a user without a password, and a CA file it cannot use, naming the variable', () => {
    expect(() => redisSecurity({ REDIS_TLS: 'yes' })).toThrow('REDIS_TLS must be 1, true, 0 or false, got "yes"');
    expect(() => redisSecurity({ REDIS_USERNAME: 'app' })).toThrow('REDIS_USERNAME needs REDIS_PASSWORD');
    const missing = join(dir, 'missing.pem');
    expect(() => redisSecurity({ REDIS_TLS: '1', REDIS_TLS_CA_FILE: missing })).toThrow(
      `REDIS_TLS_CA_FILE "${missing}" cannot be read: ENOENT`,
    );
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect(() => redisSecurity({ REDIS_TLS: '1', REDIS_TLS_CA_FILE: notPem })).toThrow(
      `REDIS_TLS_CA_FILE "${notPem}" holds no PEM certificate`,
    );
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, PEM);
    expect(() => redisSecurity({ REDIS_TLS_CA_FILE: ca })).toThrow('REDIS_TLS_CA_FILE is set but TLS is off: set REDIS_TLS=1');
  });
});
