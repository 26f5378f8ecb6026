// What a job's stream keeps and what a viewer hears when part of it is gone: the cap holds, a
// cursor older than what is retained gets a `reset` with the job's snapshot instead of a silent
// hole, and a Redis that lost its newest writes never hands out a `seq` twice.
import { createRedis, EventStream, type JobSummary, type NewJobEvent, redisKeys, statusEvent } from '@headway/progress';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { ProgressClient, wsUrl } from '../support/ws-client.ts';

let stack: TestStack;
let api: ApiProcess;
let connection: Redis;
const keys = redisKeys('keep');

beforeAll(async () => {
  stack = await startStack({ prefix: 'keep' });
  ({ api } = stack);
  connection = createRedis(stack.redis.url, 'blocking');
});

afterAll(async () => {
  connection?.disconnect();
  await stack?.stop();
});

const log = (jobId: string, i: number): NewJobEvent => ({
  kind: 'log',
  jobId,
  attempt: 1,
  ts: new Date().toISOString(),
  level: 'info',
  message: `line ${i}`,
});

/** A job that exists in the queue (no worker runs it), whose events the test writes itself. */
async function waitingJob(): Promise<JobSummary> {
  const res = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review' }),
  });
  return (await res.json()) as JobSummary;
}

async function append(stream: EventStream, jobId: string, count: number, lastSeq = 0) {
  const results = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, k) => log(jobId, i + k + 1));
    results.push(await stream.append(jobId, batch, { lastSeq }));
    lastSeq = results.at(-1)!.entries.at(-1)!.event.seq;
  }
  return results;
}

describe('a job stream’s retention', () => {
  it('stays within its cap (plus the slack of MAXLEN ~) over 10,000 events', async () => {
    const stream = new EventStream(connection, keys, { maxLen: 1000 });
    await append(stream, 'capped', 10_000);
    const length = await connection.xlen(keys.events('capped'));
    expect(length).toBeGreaterThanOrEqual(1000);
    expect(length).toBeLessThanOrEqual(1100);
  });

  it('answers a cursor older than what is retained with a reset and the snapshot, then the retained events in order', async () => {
    const job = await waitingJob();
    const stream = new EventStream(connection, keys, { maxLen: 100 });
    const written = (await append(stream, job.id, 600)).flatMap((r) => r.entries);
    const firstKept = Number((await connection.xrange(keys.events(job.id), '-', '+', 'COUNT', 1))[0]![1][1]);
    expect(firstKept).toBeGreaterThan(1);

    const late = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress?after=${written[9]!.id}`));
    await late.waitFor((c) => c.events.at(-1)?.event.seq === 600);
    late.close();
    expect(late.messages.map((m) => m.type).slice(0, 2)).toEqual(['initial_status', 'reset']);
    const reset = late.messages[1]!;
    expect(reset.type === 'reset' && reset.job.id).toBe(job.id);
    expect(reset.type === 'reset' && reset.reason).toMatch(/trimmed/);
    const seqs = late.events.map((e) => e.event.seq);
    expect(seqs).toEqual(Array.from({ length: 600 - firstKept + 1 }, (_, i) => firstKept + i));

    // A cursor inside what is retained resumes without a reset.
    const recent = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress?after=${written[589]!.id}`));
    await recent.waitFor((c) => c.events.at(-1)?.event.seq === 600);
    recent.close();
    expect(recent.messages.some((m) => m.type === 'reset')).toBe(false);
    expect(recent.events.map((e) => e.event.seq)).toEqual([591, 592, 593, 594, 595, 596, 597, 598, 599, 600]);
  });

  it('starts a job’s retention with its last write, in the same call', async () => {
    const stream = new EventStream(connection, keys, { maxLen: 1000 });
    await stream.append('ending', [log('ending', 1)]);
    expect(await connection.ttl(keys.events('ending'))).toBe(-1);
    await stream.append('ending', [log('ending', 2)], { expireSeconds: 600 });
    for (const key of [keys.events('ending'), keys.seq('ending')]) {
      const ttl = await connection.ttl(key);
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
    }
  });

  it('after a Redis restart that lost the newest writes, continues above the last seq it handed out and reports the lost window', async () => {
    const stream = new EventStream(connection, keys, { maxLen: 1000 });
    const [first] = await append(stream, 'lossy', 10);
    // What a crash without the last second of the append-only file leaves: seq 8..10 gone.
    const entries = first!.entries;
    await connection.xdel(keys.events('lossy'), ...entries.slice(7).map((e) => e.id));
    await connection.set(keys.seq('lossy'), 7);

    const after = await stream.append('lossy', [log('lossy', 11)], { lastSeq: 10 });
    expect(after.lost).toEqual({ from: 8, to: 10 });
    expect(after.entries[0]!.event.seq).toBe(11);
    const again = await stream.append('lossy', [log('lossy', 12)], { lastSeq: 11 });
    expect(again.lost).toBeUndefined();
    expect(again.entries[0]!.event.seq).toBe(12);
  });

  it('writes an attempt’s stall once, whoever reports it first, and keeps the events after it either way', async () => {
    const stream = new EventStream(connection, keys, { maxLen: 1000 });
    const stall = (attempt: number) => [
      statusEvent('stalls', attempt, 'stalled', 'lost its lock'),
      statusEvent('stalls', attempt, 'retrying', 'again'),
    ];
    const first = await stream.append('stalls', stall(1), { stall: { attempt: 1, events: 2 } });
    expect(first.entries.map((e) => e.event.seq)).toEqual([1, 2]);
    // The worker that picks the job up reports the same stall ahead of its own events.
    const second = await stream.append('stalls', [...stall(1), statusEvent('stalls', 2, 'active')], { stall: { attempt: 1, events: 2 } });
    expect(second.entries.map((e) => [e.event.seq, e.event.kind === 'status' && e.event.status])).toEqual([[3, 'active']]);
    // A later attempt's stall is news again.
    const third = await stream.append('stalls', stall(2), { stall: { attempt: 2, events: 2 } });
    expect(third.entries.map((e) => e.event.seq)).toEqual([4, 5]);
    const all = await stream.range('stalls', '0');
    expect(all.map((e) => e.event.kind === 'status' && `${e.event.status}@${e.event.attempt}`)).toEqual([
      'stalled@1',
      'retrying@1',
      'active@2',
      'stalled@2',
      'retrying@2',
    ]);
  });

  // Last: it starts a worker, which would run the other tests' waiting jobs.
  it('tells a new viewer of a finished job whose history expired that it did, instead of showing nothing', async () => {
    const worker = await stack.addWorker();
    const res = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 'literature-review', input: { runMode: 'ONCE', paceMs: 1 } }),
    });
    const job = (await res.json()) as JobSummary;
    const watcher = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await watcher.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'));
    watcher.close();
    // The stream says completed just before BullMQ does.
    for (let tries = 0; tries < 50; tries++) {
      const detail = (await (await fetch(`${api.url}/api/jobs/${job.id}`)).json()) as JobSummary;
      if (detail.status === 'completed') break;
      await Bun.sleep(100);
    }
    // It would go on to run the other tests' waiting jobs.
    await worker.stop('SIGKILL');
    await connection.del(keys.events(job.id));

    const viewer = new ProgressClient(wsUrl(api.url, `/ws/jobs/${job.id}/progress`));
    await viewer.waitFor((c) => c.messages.some((m) => m.type === 'job_complete'), 10_000);
    viewer.close();
    expect(viewer.messages.map((m) => m.type)).toEqual(['initial_status', 'reset', 'job_complete']);
    expect(viewer.messages[1]).toMatchObject({ type: 'reset', reason: expect.stringMatching(/expired/), job: { status: 'completed' } });
  });
});
