import { describe, expect, it } from 'vitest';
import { describeTarget, type RedisSecurity } from './redis-connection.ts';

describe('describeTarget', () => {
  it('names where Redis is and never shows a password, given apart or in the URL', () => {
    const security: RedisSecurity = { username: 'app', password: 's3cret-pw', sentinelPassword: 'sentinel-pw', tls: { ca: 'PEM' } };
    const nodes = [
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ];
    const described = [
      describeTarget({ kind: 'cluster', nodes, security }),
      describeTarget({ kind: 'sentinel', sentinels: nodes, name: 'm', security }),
      describeTarget({ kind: 'server', url: 'redis://r:7000', security }),
      describeTarget({ kind: 'server', url: 'rediss://app:s3cret-pw@r:7000/0', security: { password: 's3cret-pw' } }),
      describeTarget('redis://:s3cret-pw@r:7000'),
    ];
    expect(described).toEqual([
      'cluster a:1,b:2 (TLS)',
      'sentinel m at a:1,b:2 (TLS)',
      'redis://r:7000 (TLS)',
      'rediss://***@r:7000/0',
      'redis://***@r:7000',
    ]);
    for (const text of described) expect(text).not.toMatch(/s3cret|sentinel-pw/);
  });
});
