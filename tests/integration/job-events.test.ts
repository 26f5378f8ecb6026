// `GET /api/jobs/:id/events` and `/logs` over a real API and Redis: filters, paging after a
// cursor, the download's formats, and the 4xx answers (unknown job, bad search).
import { createRedis, EventStream, type JobEventsPage, type JobSummary, type NewJobEvent, redisKeys } from '@headway/progress';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let api: ApiProcess;
let connection: Redis;
let job: JobSummary;
const keys = redisKeys('events');

const ts = new Date('2026-11-24T10:00:00Z').toISOString();
const event = (i: number): NewJobEvent =>
  i % 10 === 0
    ? {
        kind: 'progress',
        jobId: job.id,
        attempt: 1,
        ts,
        stage: 'gap_analysis',
        phase: 'running',
        message: `Starting iteration ${i / 10 + 1}`,
        percentage: i / 10,
        iteration: i / 10 + 1,
      }
    : {
        kind: 'log',
        jobId: job.id,
        attempt: 1,
        ts,
        level: i % 7 === 0 ? 'error' : 'info',
        stage: 'gap_analysis',
        message: `\x1b[32mline ${i}\x1b[0m`,
      };

beforeAll(async () => {
  stack = await startStack({ prefix: 'events' });
  ({ api } = stack);
  connection = createRedis(stack.redis.url, 'blocking');
  const res = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review' }),
  });
  job = (await res.json()) as JobSummary;
  const stream = new EventStream(connection, keys, { maxLen: 100_000 });
  await stream.append(
    job.id,
    Array.from({ length: 120 }, (_, i) => event(i)),
  );
});

afterAll(async () => {
  connection?.disconnect();
  await stack?.stop();
});

const get = async (path: string) => {
  const res = await fetch(`${api.url}${path}`);
  return { status: res.status, body: await res.json() };
};

describe('GET /api/jobs/:id/events', () => {
  it('pages through the history after a cursor, with the count of what matches', async () => {
    const first = (await get(`/api/jobs/${job.id}/events?limit=50`)).body as JobEventsPage;
    expect(first.entries.map((e) => e.event.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(first.total_matched).toBe(120);
    expect(first.next).toBe(first.entries[49]!.id);
    const rest = (await get(`/api/jobs/${job.id}/events?limit=5000&after=${first.next}`)).body as JobEventsPage;
    expect(rest.entries[0]!.event.seq).toBe(51);
    expect(rest.entries).toHaveLength(70);
    expect(rest.total_matched).toBe(70);
    expect(rest.next).toBeUndefined();
  });

  it('filters by kind, level, stage, iteration and text at once', async () => {
    const errors = (await get(`/api/jobs/${job.id}/events?level=error`)).body as JobEventsPage;
    expect(errors.entries.every((e) => e.event.kind === 'log' && e.event.level === 'error')).toBe(true);
    expect(errors.total_matched).toBe(Array.from({ length: 120 }, (_, i) => i).filter((i) => i % 10 !== 0 && i % 7 === 0).length);
    // Iteration 3 is events 20..29: its progress line and the nine log lines after it.
    const third = (await get(`/api/jobs/${job.id}/events?iteration=3&kind=log&stage=gap_analysis`)).body as JobEventsPage;
    expect(third.entries.map((e) => e.event.seq)).toEqual([22, 23, 24, 25, 26, 27, 28, 29, 30]);
    const text = (await get(`/api/jobs/${job.id}/events?q=${encodeURIComponent('LINE 11')}`)).body as JobEventsPage;
    expect(text.entries.map((e) => e.event.seq)).toEqual([12, 112, 113, 114, 115, 116, 117, 118, 119, 120]);
    const regex = (await get(`/api/jobs/${job.id}/events?q=${encodeURIComponent('/^line 1\\d$/')}`)).body as JobEventsPage;
    expect(regex.total_matched).toBe(9);
  });

  it('answers 404 for an unknown job and 422 naming q for a pattern it cannot run', async () => {
    expect((await get('/api/jobs/nope/events')).status).toBe(404);
    for (const q of ['/(x)\\1/', '/[/']) {
      const { status, body } = await get(`/api/jobs/${job.id}/events?q=${encodeURIComponent(q)}`);
      expect(status).toBe(422);
      expect(body.error.message).toMatch(/^q: /);
    }
    expect((await get(`/api/jobs/${job.id}/events?limit=5001`)).status).toBe(422);
    expect((await get(`/api/jobs/${job.id}/events?level=fatal`)).status).toBe(422);
  });
});

describe('GET /api/jobs/:id/logs', () => {
  it('downloads the filtered log as text without colour codes, or as NDJSON entries', async () => {
    const txt = await fetch(`${api.url}/api/jobs/${job.id}/logs?q=line%2011`);
    expect(txt.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(txt.headers.get('content-disposition')).toBe(`attachment; filename="job-${job.id}-log.txt"`);
    const lines = (await txt.text()).trimEnd().split('\n');
    expect(lines[0]).toBe(`${ts} [gap_analysis] line 11`);
    expect(lines).toHaveLength(10);

    const nd = await fetch(`${api.url}/api/jobs/${job.id}/logs?format=ndjson&level=error`);
    expect(nd.headers.get('content-disposition')).toMatch(/\.ndjson"$/);
    const entries = (await nd.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const page = (await get(`/api/jobs/${job.id}/events?level=error`)).body as JobEventsPage;
    expect(entries).toEqual(page.entries);
  });
});
