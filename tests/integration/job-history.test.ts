// The estimator's history lives in Redis: shared by every worker and kept across restarts.
import { createRedis, EtaEstimator, HistoryStore, type JobRecord, literatureReview, redisKeys } from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../support/redis-server.ts';

let redis: RedisHandle;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const record = (seconds: number): JobRecord => ({
  pipeline: 'literature-review',
  size: 36,
  seconds,
  stages: literatureReview.stages.map((s) => ({ name: s.name, seconds: seconds / 6 })),
});

describe('HistoryStore', () => {
  it('gives a new store on a new connection what another recorded, newest first', async () => {
    const keys = redisKeys('hist1');
    const a = createRedis(redis.url, 'blocking');
    await new HistoryStore(a, keys).record(record(30));
    await new HistoryStore(a, keys).record(record(60));
    a.disconnect();
    const b = createRedis(redis.url, 'blocking');
    const loaded = await new HistoryStore(b, keys).load('literature-review');
    b.disconnect();
    expect(loaded.map((r) => r.seconds)).toEqual([60, 30]);
    const estimator = new EtaEstimator(literatureReview.stages, loaded, 36);
    expect(estimator.hasHistory).toBe(true);
  });

  it('loses nothing when two workers record at once', async () => {
    const keys = redisKeys('hist2');
    const [a, b] = [createRedis(redis.url, 'blocking'), createRedis(redis.url, 'blocking')];
    const storeA = new HistoryStore(a, keys);
    const storeB = new HistoryStore(b, keys);
    await Promise.all(Array.from({ length: 50 }, (_, i) => [storeA.record(record(i)), storeB.record(record(100 + i))]).flat());
    const loaded = await storeA.load('literature-review');
    a.disconnect();
    b.disconnect();
    expect(loaded).toHaveLength(100);
    expect(new Set(loaded.map((r) => r.seconds)).size).toBe(100);
  });

  it('skips an unreadable entry instead of failing the job', async () => {
    const keys = redisKeys('hist3');
    const c = createRedis(redis.url, 'blocking');
    await c.lpush(keys.history('literature-review'), 'not json', JSON.stringify(record(12)));
    const loaded = await new HistoryStore(c, keys).load('literature-review');
    c.disconnect();
    expect(loaded.map((r) => r.seconds)).toEqual([12]);
  });

  it('with maxAgeMs, reuses a load for that long, then sees what any worker recorded meanwhile', async () => {
    const keys = redisKeys('hist4');
    const c = createRedis(redis.url, 'blocking');
    const cached = new HistoryStore(c, keys, { maxAgeMs: 300 });
    const other = new HistoryStore(c, keys);
    await other.record(record(1));
    const first = await cached.load('literature-review');
    await other.record(record(2));
    await cached.record(record(3));
    expect(await cached.load('literature-review')).toBe(first);
    await Bun.sleep(350);
    const later = await cached.load('literature-review');
    c.disconnect();
    expect(later.map((r) => r.seconds)).toEqual([3, 2, 1]);
  });
});
