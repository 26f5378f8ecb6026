// Hostile and careless request bodies against a real API process (issue 12, defects 3 and 11, and
// deep JSON): bodies are JSON of bounded size and depth, match their schema exactly, and a
// pipeline caps its input; the job list never loads a job's input. Nothing refused changes
// anything: no job is created, cancelled or retried, and a finished job's history stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../support/call-api.ts';
import { rssMb } from '../support/process-memory.ts';
import type { RedisHandle } from '../support/redis-server.ts';
import { createSentinel, type Sentinel } from '../support/sentinel.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { until } from '../support/until.ts';

/** MAX_BODY_BYTES's default, and literature-review's maxInputBytes (the default). */
const BODY_LIMIT = 1024 * 1024;
const INPUT_CAP = 256 * 1024;

let stack: TestStack;
let redis: RedisHandle;
let api: ApiProcess;
let sentinel: Sentinel;

interface Answer {
  status: number;
  type: string | null;
  text: string;
  /** The body parsed, when it is JSON; assertions read what they need. */
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whichever field it asserts on
  json: any;
}

async function send(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(api.url + path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type'), text, json };
}

const postJson = (path: string, body: string) => send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const jobOf = async (id: string) => (await send(`/api/jobs/${id}`)).json as { status: string; input: unknown };
const jobTotal = async () => ((await send('/api/jobs')).json as { total: number }).total;
/** BullMQ's id counter: it moves whenever a job is created, even one removed at once. */
const jobsEverCreated = () => Number(redisCli('GET', 'abuse:pipelines:id') || 0);
const eventsOf = async (id: string) => (await send(`/api/jobs/${id}/events?limit=5000`)).json;

function redisCli(...args: string[]): string {
  return Bun.spawnSync(['redis-cli', '-p', String(redis.port), ...args])
    .stdout.toString()
    .trim();
}

const apiRss = () => rssMb(api.proc.pid);

/** A body sent in chunks (no content-length), made as it is read. */
function chunked(total: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  const piece = new Uint8Array(chunk).fill(0x20);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(piece.subarray(0, n));
    },
  });
}

async function expectHealthyAtOnce() {
  const started = performance.now();
  expect((await send('/healthz')).status).toBe(200);
  expect(performance.now() - started).toBeLessThan(1000);
}

function expectError(res: Answer, status: number, code: string, message: RegExp) {
  expect(res.status, res.text).toBe(status);
  expect(res.type).toMatch(/^application\/json/);
  expect(res.json?.error?.code, res.text).toBe(code);
  expect(res.json.error.message).toMatch(message);
  // No stack trace or internals in what a client sees.
  expect(res.text).not.toMatch(/\n\s+at |\.ts:\d+/);
}

beforeAll(async () => {
  stack = await startStack({ prefix: 'abuse', workers: 1 });
  ({ redis, api } = stack);
  sentinel = await createSentinel(api.url);
});

afterAll(() => stack?.stop());

describe('request body size', () => {
  it('refuses a body one byte over the limit, declared or chunked, with a JSON 413 naming the limit; the API stays up and small', async () => {
    const before = { rss: apiRss(), created: jobsEverCreated() };
    const declared = await postJson('/api/jobs', ' '.repeat(BODY_LIMIT + 1));
    expectError(
      declared,
      413,
      'PAYLOAD_TOO_LARGE',
      new RegExp(`is ${BODY_LIMIT + 1} bytes; the API reads at most ${BODY_LIMIT} \\(MAX_BODY_BYTES\\)`),
    );
    await expectHealthyAtOnce();

    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit;
    const streamed = await send('/api/jobs', { ...init, body: chunked(BODY_LIMIT + 1) });
    expectError(streamed, 413, 'PAYLOAD_TOO_LARGE', new RegExp(`over ${BODY_LIMIT} bytes, the most the API reads \\(MAX_BODY_BYTES\\)`));
    await expectHealthyAtOnce();

    // 100 MB chunked is read no further than the limit; 100 MB declared is not read at all (Bun
    // refuses it, bare, past twice the limit). The audit saw 90 → 790 MB for such a body.
    const hugeStream = await send('/api/jobs', { ...init, body: chunked(100 * 1024 * 1024) });
    expectError(hugeStream, 413, 'PAYLOAD_TOO_LARGE', /MAX_BODY_BYTES/);
    const hugeDeclared = await postJson('/api/jobs', ' '.repeat(100 * 1024 * 1024));
    expect(hugeDeclared.status).toBe(413);
    await expectHealthyAtOnce();
    expect(apiRss() - before.rss).toBeLessThan(48);
    expect(jobsEverCreated()).toBe(before.created);
  });

  it('refuses JSON nested 100,000 deep with a 400 that says so, before parsing it', async () => {
    for (const deep of [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`]) {
      expectError(await postJson('/api/jobs', deep), 400, 'BAD_REQUEST', /nested deeper than 64 levels/);
    }
    // Inside an input, where the depth would reach the pipeline's validation.
    let input = '{}';
    for (let i = 0; i < 100_000; i++) input = `{"x":${input}}`;
    expectError(await postJson('/api/jobs', `{"pipeline":"literature-review","input":${input}}`), 400, 'BAD_REQUEST', /nested deeper/);
    await expectHealthyAtOnce();
  });
});

describe('the shape of POST /api/jobs', () => {
  it('refuses an input that is a string, number, array or null with a 422 naming /input, creating nothing', async () => {
    const before = { total: await jobTotal(), created: jobsEverCreated() };
    // The audit's 10 MB string became an object with a key per character: a 146 MB job.
    for (const input of ['x'.repeat(1000), 42, ['a', 'b'], null, true]) {
      const res = await postJson('/api/jobs', JSON.stringify({ pipeline: 'literature-review', input }));
      expectError(res, 422, 'VALIDATION', /^\/input: Expected object/);
      expect(res.json.error.details[0].path).toBe('/input');
    }
    expect(await jobTotal()).toBe(before.total);
    expect(jobsEverCreated()).toBe(before.created);
  });

  it('refuses an unknown field, at the top or in options, with a 422 naming it, creating nothing', async () => {
    const before = jobsEverCreated();
    const top = await postJson('/api/jobs', JSON.stringify({ pipeline: 'literature-review', jobId: '../../escaped' }));
    expectError(top, 422, 'VALIDATION', /^\/jobId: .*should not be provided/);
    const nested = await postJson('/api/jobs', JSON.stringify({ pipeline: 'literature-review', options: { attempts: 2, delay: 1e9 } }));
    expectError(nested, 422, 'VALIDATION', /^\/options\/delay: .*should not be provided/);
    expectError(await postJson('/api/jobs', '[{"pipeline":"literature-review"}]'), 422, 'VALIDATION', /must be a JSON object/);
    expect(jobsEverCreated()).toBe(before);
  });

  it("refuses an input over the pipeline's maxInputBytes with a 413 naming the pipeline and the cap", async () => {
    const before = jobsEverCreated();
    const input = { runMode: 'ONCE', paceMs: 0, notes: 'n'.repeat(INPUT_CAP) };
    const res = await postJson('/api/jobs', JSON.stringify({ pipeline: 'literature-review', input }));
    expectError(
      res,
      413,
      'PAYLOAD_TOO_LARGE',
      new RegExp(`pipeline "literature-review" takes at most ${INPUT_CAP} \\(its maxInputBytes\\)`),
    );
    expect(jobsEverCreated()).toBe(before);
    const pipelines = (await send('/api/pipelines')).json as { name: string; maxInputBytes: number }[];
    expect(pipelines.find((p) => p.name === 'literature-review')?.maxInputBytes).toBe(INPUT_CAP);
  });
});

describe('media types and malformed bodies', () => {
  let running: string;

  beforeAll(async () => {
    ({ id: running } = await createJob(api.url, { pipeline: 'literature-review', input: { runMode: 'DEEP_LOOP', paceMs: 300 } }));
    await until(
      () => jobOf(running),
      (job) => job.status === 'active',
    );
  });

  const bodies = (): [string, RequestInit][] => {
    const form = new FormData();
    form.set('pipeline', 'literature-review');
    form.set('reason', 'from a form');
    return [
      [
        'application/x-www-form-urlencoded',
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'pipeline=literature-review&token=x' },
      ],
      ['multipart/form-data', { body: form }],
      ['text/plain', { headers: { 'content-type': 'text/plain' }, body: '{"pipeline":"literature-review","token":"x"}' }],
      ['no content-type', { body: new Blob(['{"pipeline":"literature-review"}']) }],
    ];
  };

  it('answers 415 naming what was sent to a form, multipart, text or untyped POST, and changes nothing', async () => {
    const before = { created: jobsEverCreated(), running: (await jobOf(running)).status };
    for (const path of ['/api/jobs', `/api/jobs/${running}/cancel`, `/api/jobs/${running}/retry`, '/api/session']) {
      for (const [sent, init] of bodies()) {
        const res = await send(path, { method: 'POST', ...init });
        expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', /must be JSON sent as "content-type: application\/json"/);
        expect(res.json.error.message, `${path} ${sent}`).toContain(sent === 'no content-type' ? sent : `"${sent}`);
        expect(res.text).not.toMatch(/set-cookie/i);
      }
    }
    expect(jobsEverCreated()).toBe(before.created);
    expect(before.running).toBe('active');
    expect((await jobOf(running)).status).toBe('active');
  });

  it('answers 400 to a cancel with malformed JSON and 422 to one that is not an object; the job runs on', async () => {
    for (const body of ['{"reason":', '{reason: "x"}', "{'reason':'x'}", '{"reason":"x"} trailing']) {
      expectError(await postJson(`/api/jobs/${running}/cancel`, body), 400, 'BAD_REQUEST', /not valid JSON/);
    }
    const latin1 = new Uint8Array([0x7b, 0x22, 0x72, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"r":"\xff"}
    const notUtf8 = await send(`/api/jobs/${running}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: latin1,
    });
    expectError(notUtf8, 400, 'BAD_REQUEST', /not UTF-8/);
    for (const body of ['"stop"', '[]', '42', 'null']) {
      expectError(await postJson(`/api/jobs/${running}/cancel`, body), 422, 'VALIDATION', /must be a JSON object/);
    }
    expectError(await postJson(`/api/jobs/${running}/cancel`, '{"reason":"x","force":true}'), 422, 'VALIDATION', /^\/force: /);
    await Bun.sleep(500);
    expect((await jobOf(running)).status).toBe('active');
  });

  it('still takes JSON, and a cancel or retry with no body at all; a form retry of the cancelled job changes nothing', async () => {
    const cancelled = await send(`/api/jobs/${running}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(202);
    await until(
      () => jobOf(running),
      (job) => job.status === 'cancelled',
    );
    const events = await eventsOf(running);
    const form = await send(`/api/jobs/${running}/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(form.status).toBe(415);
    await Bun.sleep(300);
    expect((await jobOf(running)).status).toBe('cancelled');
    expect(await eventsOf(running)).toEqual(events);
  });

  it("leaves Bull Board's JSON routes working, and refuses a form posted to them", async () => {
    const before = jobsEverCreated();
    const add = '/admin/queues/api/queues/pipelines/add';
    const formAdd = await send(add, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=literature-review',
    });
    expect(formAdd.status).toBe(415);
    expect(jobsEverCreated()).toBe(before);
    const data = { input: { runMode: 'ONCE', paceMs: 0 }, label: 'added on the board' };
    const res = await postJson(add, JSON.stringify({ name: 'literature-review', data, options: {} }));
    expect(res.status, res.text).toBe(200);
    expect(jobsEverCreated()).toBe(before + 1);
    // A job made without the API has no label field: the list reads its label from its data.
    const found = (await send(`/api/jobs?q=${encodeURIComponent('added on the board')}`)).json as { jobs: { name: string }[] };
    expect(found.jobs.map((j) => j.name)).toEqual(['added on the board']);
  });
});

describe('the job list', () => {
  it('refuses an offset past 10,000 with a 422 naming it', async () => {
    expectError(await send('/api/jobs?offset=10001'), 422, 'VALIDATION', /^\/offset: /);
    expectError(await send('/api/jobs?offset=100000'), 422, 'VALIDATION', /^\/offset: /);
    const deepest = await send('/api/jobs?offset=10000');
    expect(deepest.status).toBe(200);
    expect(deepest.json.jobs).toEqual([]);
  });

  it('lists jobs whose inputs are near the cap without reading those inputs from Redis', async () => {
    const marker = 'INPUT-MARKER-';
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const input = { runMode: 'ONCE', paceMs: 0, notes: marker + 'm'.repeat(INPUT_CAP - 200) };
      ids.push((await createJob(api.url, { pipeline: 'literature-review', name: `big ${i}`, input })).id);
    }
    for (const id of ids)
      await until(
        () => jobOf(id),
        (job) => job.status === 'completed',
      );
    expect(JSON.stringify((await jobOf(ids[0]!)).input)).toContain(marker);
    // Let the job-list feed settle: it reads a job whole after each of its changes.
    await Bun.sleep(1000);

    const outputBytes = () => Number(/total_net_output_bytes:(\d+)/.exec(redisCli('INFO', 'stats'))![1]);
    for (const path of ['/api/jobs', '/api/jobs?q=big', '/api/jobs?pipeline=literature-review&limit=200', '/api/jobs?status=completed']) {
      const before = outputBytes();
      const started = performance.now();
      const res = await send(path);
      const took = performance.now() - started;
      const read = outputBytes() - before;
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(marker);
      expect(res.json.jobs.map((j: { name: string }) => j.name)).toEqual(expect.arrayContaining(['big 0', 'big 1', 'big 2', 'big 3']));
      // Four inputs of 256 KiB were 1 MiB read per list; ids and summary fields are a few KB.
      expect(read, path).toBeLessThan(64 * 1024);
      expect(took, path).toBeLessThan(1000);
    }
  });
});

describe('after all of the above', () => {
  it('leaves the sentinel job and its history exactly as they were, and the API healthy', async () => {
    await sentinel.expectUnchanged();
    await expectHealthyAtOnce();
  });
});
