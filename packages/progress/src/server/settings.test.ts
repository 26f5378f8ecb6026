import { describe, expect, it } from 'vitest';
import { redisTopology, sharedSettings } from './settings.ts';

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
