// The artifact index beside a job's stream: written in the same step as each artifact event, with
// the same id and seq, read without the stream, and kept and expired with it.
import { EventStream, type NewJobEvent, redisKeys } from '@headway/progress';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../support/redis-server.ts';

let redis: RedisHandle;
let client: Redis;
const keys = redisKeys('index');

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { protocol: 2 });
});

afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const ts = () => new Date().toISOString();
const log = (message: string): NewJobEvent => ({ kind: 'log', jobId: 'j1', attempt: 1, ts: ts(), level: 'info', message });
const artifact = (name: string, attempt = 1): NewJobEvent => ({
  kind: 'artifact',
  jobId: 'j1',
  attempt,
  ts: ts(),
  stage: 'finalization',
  name,
  size: 3,
  contentType: 'text/plain; charset=utf-8',
  sha256: 'a'.repeat(64),
});

describe('the artifact index', () => {
  it('holds each artifact event with its stream id and seq, in order, and no other event', async () => {
    const stream = new EventStream(client, keys, { maxLen: 3 });
    const written = await stream.append('j1', [log('a'), artifact('report.md'), log('b'), artifact('charts/radar.svg')]);
    await stream.append('j1', [log('c'), log('d'), log('e'), artifact('report.md', 2)]);
    const index = await stream.artifacts('j1');
    expect(index.map((e) => [e.event.name, e.event.attempt])).toEqual([
      ['report.md', 1],
      ['charts/radar.svg', 1],
      ['report.md', 2],
    ]);
    expect(index.slice(0, 2)).toEqual([written.entries[1], written.entries[3]]);
    // The stream is capped at ~3 entries; the index keeps every artifact.
    expect(await client.xlen(keys.events('j1'))).toBeLessThan(9);
    expect(await stream.artifacts('nothing')).toEqual([]);
  });

  it('expires with the stream when the job ends', async () => {
    const stream = new EventStream(client, keys, { maxLen: 100 });
    await stream.append('j2', [artifact('x.txt')], { expireSeconds: 60 });
    expect(await client.ttl(keys.artifacts('j2'))).toBeGreaterThan(50);
    await stream.expire('j2', 30);
    expect(await client.ttl(keys.artifacts('j2'))).toBeLessThanOrEqual(30);
  });
});
