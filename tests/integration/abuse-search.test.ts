// Abuse: searches that backtrack for ever on a backtracking engine, over a job with a big log
// (20,000 lines, 1,100 of them 8,000 characters long), through `GET /api/jobs/:id/events?q=`
// and `/logs?q=` on a real API and Redis. Each answers (200 with the right lines, or the 422 of
// the search budget) while `/healthz` keeps answering within a second, and another job's events
// are the same after as before.
import {
  createRedis,
  EventStream,
  eventMessage,
  type JobEventsPage,
  type JobSummary,
  type NewJobEvent,
  plainText,
  redisKeys,
  type StreamEntry,
} from '@headway/progress';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_BUDGET_MS } from '../../apps/api/src/routes/events.ts';
import { createJob } from '../support/call-api.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

const PREFIX = 'abuse-search';
const LINES = 20_000;
const TOO_SLOW = {
  error: {
    code: 'VALIDATION',
    message: `q: the search took longer than ${SEARCH_BUDGET_MS / 1000} s; make it narrower`,
    details: [{ path: '/q', message: 'too slow' }],
  },
};

let stack: TestStack;
let api: ApiProcess;
let connection: Redis;
let big: JobSummary;
let sentinel: JobSummary;

let seed = 12;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const randomAb = (length: number) => Array.from({ length }, () => (random() < 0.5 ? 'a' : 'b')).join('');

/** Short lines of a's ending in nothing, `!` or `b`; every 200th a run of 8,000 a's; every 20th (offset) 8,000 random a/b. */
function message(i: number): string {
  if (i % 200 === 0) return `step ${i} ${'a'.repeat(8000)}`;
  if (i % 20 === 10) return `step ${i} ${randomAb(8000)}`;
  return `step ${i} ${'a'.repeat(10 + (i % 31))}${['', '!', 'b'][i % 3]}`;
}

const log = (jobId: string, i: number, text: string): NewJobEvent => ({
  kind: 'log',
  jobId,
  attempt: 1,
  ts: new Date(Date.UTC(2026, 10, 24, 10, 0, 0, i)).toISOString(),
  level: 'info',
  stage: 'judge',
  message: text,
});

/** Every retained entry of a job, read page by page with no search. */
async function allEvents(jobId: string): Promise<StreamEntry[]> {
  const entries: StreamEntry[] = [];
  for (let after = '0'; ; ) {
    const page = (await (await fetch(`${api.url}/api/jobs/${jobId}/events?limit=5000&after=${after}`)).json()) as JobEventsPage;
    entries.push(...page.entries);
    if (!page.next) return entries;
    after = page.next;
  }
}

beforeAll(async () => {
  stack = await startStack({ prefix: PREFIX });
  ({ api } = stack);
  connection = createRedis(stack.redis.url, 'blocking');
  const job = { pipeline: 'literature-review' };
  [big, sentinel] = [await createJob(api.url, job), await createJob(api.url, job)];
  const stream = new EventStream(connection, redisKeys(PREFIX), { maxLen: 100_000 });
  await stream.append(
    sentinel.id,
    Array.from({ length: 30 }, (_, i) => log(sentinel.id, i, `sentinel line ${i} aaaaaaaaaaaaaaaaaaaaaaaa`)),
  );
  for (let i = 0; i < LINES; i += 1000) {
    await stream.append(
      big.id,
      Array.from({ length: 1000 }, (_, k) => log(big.id, i + k, message(i + k))),
    );
  }
});

afterAll(async () => {
  connection?.disconnect();
  await stack?.stop();
});

/** Asks /healthz every 100 ms until `stop`, each with a second to answer; returns each answer's status and time. */
async function watchHealth(stop: Promise<unknown>) {
  const answers: { status: number; ms: number }[] = [];
  let done = false;
  void stop.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    const status = await fetch(`${api.url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.status,
      () => 0,
    );
    answers.push({ status, ms: Math.round(performance.now() - started) });
    await Bun.sleep(100);
  }
  return answers;
}

// Each, over a line of many a's, takes a backtracking engine anywhere from seconds to for ever.
// Beside each, which lines it matches, said without a regex.
const HOSTILE: Array<[string, (text: string) => boolean]> = [
  ['/.*.*.*.*.*x/', (text) => text.includes('x')],
  ['/(a+)+$/', (text) => text.endsWith('a')],
  ['/(a|aa)+b/', (text) => text.includes('ab')],
  ['/(.*a){20}/', (text) => text.split('a').length > 20],
  ['/([a-z]+)*!$/i', (text) => text.endsWith('!')],
  ['/(\\w+\\s?)*$/', () => true],
];
/** On RE2 too this one is slow over the random lines (a large pattern on a DFA that cannot cache): the budget stops it. */
const EXPENSIVE = '/a[ab]{120}$/';

describe('a search that would backtrack', () => {
  it('answers each search within the budget while /healthz answers within a second, and changes nothing', async () => {
    const sentinelBefore = await allEvents(sentinel.id);
    const texts = (await allEvents(big.id)).map((e) => plainText(eventMessage(e.event)));
    expect(texts).toHaveLength(LINES);
    const expected = (matches: (text: string) => boolean) => texts.filter(matches).length;

    const searches = [...HOSTILE.map(([q]) => q), EXPENSIVE].flatMap((q) =>
      ['events', 'logs'].map(async (route) => {
        const started = performance.now();
        const url = `${api.url}/api/jobs/${big.id}/${route}?${route === 'events' ? 'limit=1&' : ''}q=${encodeURIComponent(q)}`;
        const answer = await fetch(url, { signal: AbortSignal.timeout(SEARCH_BUDGET_MS + 5000) }).then(
          async (res) => ({ status: res.status, body: await res.text() }),
          (error: Error) => ({ status: 0, body: error.message }),
        );
        return { q, route, ...answer, ms: performance.now() - started };
      }),
    );
    const all = Promise.all(searches);
    const [results, health] = await Promise.all([all, watchHealth(all)]);

    // /healthz was asked all along and answered 200 within the second each time.
    expect(health.length).toBeGreaterThanOrEqual(3);
    expect(health.filter((h) => h.status !== 200 || h.ms >= 1000)).toEqual([]);
    for (const { q, route, status, body, ms } of results) {
      const where = `${route} ${q}`;
      // All searches ran at once: each still ends soon after its budget.
      expect(ms, where).toBeLessThan(SEARCH_BUDGET_MS + 2000);
      if (status === 422) {
        expect(JSON.parse(body), where).toEqual(TOO_SLOW);
        continue;
      }
      expect(status, where).toBe(200);
      const matches = HOSTILE.find(([hostile]) => hostile === q)?.[1];
      expect(matches, `${where} answered 200; it should have run out of budget`).toBeDefined();
      if (route === 'events') expect((JSON.parse(body) as JobEventsPage).total_matched, where).toBe(expected(matches!));
      else expect(body === '' ? 0 : body.trimEnd().split('\n').length, where).toBe(expected(matches!));
    }
    expect(results.find((r) => r.q === EXPENSIVE && r.route === 'events')!.status).toBe(422);
    // Answered 200 once alone, each hostile search gives its lines.
    for (const [q, matches] of HOSTILE) {
      const res = await fetch(`${api.url}/api/jobs/${big.id}/events?limit=1&q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(((await res.json()) as JobEventsPage).total_matched, q).toBe(expected(matches));
    }

    expect(api.proc.exitCode).toBeNull();
    expect(await allEvents(sentinel.id)).toEqual(sentinelBefore);
  });
});
