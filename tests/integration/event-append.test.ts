// The append script's guarantees for writers that retry through failovers (append-events-7.lua):
// a batch sent again is written once, the first write of an attempt reads a pending cancel, and
// after lost writes neither a seq nor a position before a viewer's cursor is given out again.
import { createRedis, EventStream, type NewJobEvent, redisKeys } from '@headway/progress';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../support/redis-server.ts';

let redis: RedisHandle;
let connection: Redis;
let stream: EventStream;
const keys = redisKeys('append');
const ts = new Date('2026-12-01T10:00:00Z').toISOString();
const log = (jobId: string, message: string): NewJobEvent => ({ kind: 'log', jobId, attempt: 1, ts, level: 'info', message });
const entries = async (jobId: string) =>
  (await connection.xrange(keys.events(jobId), '-', '+')).map(([id, fields]) => `${id} ${fields[1]} ${JSON.parse(fields[3]!).message}`);

beforeAll(async () => {
  redis = await startRedis();
  connection = createRedis(redis.url, 'blocking');
  stream = new EventStream(connection, keys, { maxLen: 1000 });
});

afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

describe('appending a batch to a job stream', () => {
  it('writes a batch sent again under the same id once, answering as the first time', async () => {
    const first = await stream.append('1', [log('1', 'a'), log('1', 'b')], { batchId: 'w:1' });
    const again = await stream.append('1', [log('1', 'a'), log('1', 'b')], { batchId: 'w:1' });
    expect(again).toEqual(first);
    expect(first.entries.map((e) => e.event.seq)).toEqual([1, 2]);
    const next = await stream.append('1', [log('1', 'c')], { batchId: 'w:2', forgetBatchId: 'w:1', lastSeq: 2 });
    expect(next.entries.map((e) => e.event.seq)).toEqual([3]);
    expect(await entries('1')).toEqual([`${first.entries[0]!.id} 1 a`, `${first.entries[1]!.id} 2 b`, `${next.entries[0]!.id} 3 c`]);
    // Acknowledged batches are forgotten; only the newest is kept, for a while.
    expect(await connection.hkeys(keys.batches('1'))).toEqual(['w:2']);
    const ttl = await connection.ttl(keys.batches('1'));
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it("reads a cancel asked before the attempt started in the attempt's first write, and then writes nothing", async () => {
    await connection.set(keys.cancelRequest('2'), 'Cancelled by alice');
    const refused = await stream.append('2', [log('2', 'active')], { batchId: 'w:1', checkCancel: true });
    expect(refused).toEqual({ entries: [], cancelled: 'Cancelled by alice' });
    expect(await connection.exists(keys.events('2'), keys.seq('2'), keys.batches('2'))).toBe(0);
    // Without the check (the cancel's own event), the write goes ahead.
    const written = await stream.append('2', [log('2', 'cancelled')], { batchId: 'w:2' });
    expect(written.entries.map((e) => e.event.seq)).toEqual([1]);
    await connection.del(keys.cancelRequest('2'));
    const clear = await stream.append('3', [log('3', 'active')], { checkCancel: true });
    expect(clear.entries.map((e) => e.event.seq)).toEqual([1]);
  });

  it('after lost writes, reports the lost seqs and goes on after the last seq and id the writer was given', async () => {
    const [a] = (await stream.append('4', [log('4', 'kept')])).entries;
    // As if a failover lost seqs 2..5, whose ids the writer holds (one far in the future, as a
    // new master's clock may trail the old one's).
    const lastId = `${Number(a!.id.split('-')[0]) + 60_000}-3`;
    const after = await stream.append('4', [log('4', 'x'), log('4', 'y')], { lastSeq: 5, lastId });
    expect(after.lost).toEqual({ from: 2, to: 5 });
    expect(after.entries.map((e) => e.event.seq)).toEqual([6, 7]);
    expect(after.entries[0]!.id).toBe(`${lastId.split('-')[0]}-4`);
    expect(after.entries[1]!.id).toBe(`${lastId.split('-')[0]}-5`);
    // Nothing lost: the writer's last id is not consulted.
    const more = await stream.append('4', [log('4', 'z')], { lastSeq: 7, lastId: '1-0' });
    expect(more.lost).toBeUndefined();
    expect(more.entries.map((e) => e.event.seq)).toEqual([8]);
  });
});
