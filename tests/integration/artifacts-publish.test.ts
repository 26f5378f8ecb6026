// Pipelines publishing artifacts through real worker processes and the local store on a temp
// folder: every stored artifact is one event in the job's stream and its index, with the stored
// bytes' size and sha256; a program's misbehaviour is refused line by line and the job completes;
// a retry's artifacts sit beside the first attempt's; a worker killed mid-upload lists nothing.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ArtifactEvent,
  artifactKey,
  createRedis,
  EventStream,
  type JobEvent,
  LocalArtifactStore,
  type LogEvent,
  QUEUE_NAME,
  redisKeys,
} from '@headway/progress';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessHandle } from '../support/processes.ts';
import { startStack, type TestStack } from '../support/test-stack.ts';

const CONFIG = 'tests/support/configs/artifacts.config.ts';
/** The code pipelines' worker: default bounds. The programs' worker: 3 artifacts of 1000 bytes. */
const WIDE = 'art-wide';
const TIGHT = 'art-tight';

let stack: TestStack;
let top: string;
let client: Redis;
let wide: ProcessHandle;
const queues: Record<string, Queue> = {};
const streams: Record<string, EventStream> = {};
const stores: Record<string, LocalArtifactStore> = {};

beforeAll(async () => {
  // Two workers on prefixes of their own, each with its DATA_DIR and store under the stack's folder.
  stack = await startStack({ prefix: WIDE, dataDir: join(WIDE, 'data'), api: false });
  top = stack.dir;
  client = createRedis(stack.redis.url, 'blocking');
  const envOf = (prefix: string, extra: Record<string, string> = {}) => ({
    QUEUE_PREFIX: prefix,
    DATA_DIR: join(top, prefix, 'data'),
    ARTIFACT_STORE: join(top, prefix, 'store'),
    HEADWAY_CONFIG: CONFIG,
    ...extra,
  });
  for (const prefix of [WIDE, TIGHT]) {
    queues[prefix] = new Queue(QUEUE_NAME, { connection: client, prefix });
    streams[prefix] = new EventStream(client, redisKeys(prefix), { maxLen: 10_000 });
    stores[prefix] = new LocalArtifactStore(join(top, prefix, 'store'));
  }
  [wide] = await Promise.all([
    stack.addWorker(envOf(WIDE)),
    stack.addWorker(envOf(TIGHT, { MAX_ARTIFACTS_PER_JOB: '3', MAX_ARTIFACT_BYTES: '1000' })),
  ]);
});

afterAll(async () => {
  await Promise.all(Object.values(queues).map((q) => q.close()));
  client?.disconnect();
  await stack?.stop();
});

async function run(prefix: string, pipeline: string, input: object, opts: { attempts?: number } = {}): Promise<string> {
  const job = await queues[prefix]!.add(pipeline, { input }, { attempts: opts.attempts ?? 1 });
  return job.id!;
}

async function finished(prefix: string, id: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await queues[prefix]!.getJob(id))!;
    const state = await job.getState();
    if (state === 'completed') return state;
    if (state === 'failed') return `failed: ${job.failedReason}`;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state} after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}

const eventsOf = async (prefix: string, id: string): Promise<JobEvent[]> =>
  (await streams[prefix]!.range(id, '0', 10_000)).map((e) => e.event);
const artifactsIn = (events: JobEvent[]) => events.filter((e): e is ArtifactEvent => e.kind === 'artifact');
const warningsIn = (events: JobEvent[]) =>
  events.filter((e): e is LogEvent => e.kind === 'log' && e.level === 'warn').map((e) => e.message);

async function bytesOf(prefix: string, key: string): Promise<Uint8Array | undefined> {
  const got = await stores[prefix]!.get(key);
  return got && new Uint8Array(await new Response(got.body).arrayBuffer());
}

/** Every file under the store, relative to it, sorted. */
const storeFiles = (prefix: string) =>
  (readdirSync(join(top, prefix, 'store'), { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(join(top, prefix, 'store').length + 1))
    .sort();

/** Each artifact event's bytes are stored under its key, with its size and sha256. */
async function expectStoredAsSaid(prefix: string, id: string, events: ArtifactEvent[]) {
  for (const event of events) {
    const bytes = await bytesOf(prefix, artifactKey(id, event.attempt, event.name));
    expect(bytes, event.name).toBeDefined();
    expect(event.size, event.name).toBe(bytes!.byteLength);
    expect(event.sha256, event.name).toBe(createHash('sha256').update(bytes!).digest('hex'));
  }
}

describe('a literature-review job', () => {
  it('has one artifact event per chart, report.md and summary.md, each matching the stored bytes, listed by EventStream.artifacts', async () => {
    const id = await run(WIDE, 'literature-review', { runMode: 'ONCE', paceMs: 0 });
    expect(await finished(WIDE, id)).toBe('completed');
    const entries = await streams[WIDE]!.range(id, '0', 10_000);
    const events = entries.map((e) => e.event);
    const published = artifactsIn(events);
    expect(published.map((e) => `${e.stage}:${e.name}:${e.contentType}`)).toEqual([
      'visualization:completeness-radar.svg:image/svg+xml',
      'visualization:gap-bars.svg:image/svg+xml',
      'visualization:completeness-trend.svg:image/svg+xml',
      'finalization:report.md:text/markdown; charset=utf-8',
      'finalization:summary.md:text/markdown; charset=utf-8',
    ]);
    expect(published.every((e) => e.attempt === 1 && e.jobId === id)).toBe(true);
    await expectStoredAsSaid(WIDE, id, published);
    const report = new TextDecoder().decode(await bytesOf(WIDE, artifactKey(id, 1, 'report.md')));
    for (const chart of published.slice(0, 3)) expect(report).toContain(`](${chart.name})`);
    // (The review's own warnings name unsupported claims; none is about its artifacts.)
    expect(warningsIn(events).filter((w) => /artifact/i.test(w))).toEqual([]);
    // The index holds the very stream entries, in order.
    expect(await streams[WIDE]!.artifacts(id)).toEqual(entries.filter((e) => e.event.kind === 'artifact'));
    expect(storeFiles(WIDE).filter((f) => !f.startsWith('.partial/'))).toEqual(published.map((e) => `jobs/${id}/1/${e.name}`).sort());
    const job = (await queues[WIDE]!.getJob(id))!;
    expect((job.progress as { artifacts?: number }).artifacts).toBe(5);
  });
});

describe('a command pipeline', () => {
  it('python-orchestrator publishes its chart while drawing and its report, which links the chart by name', async () => {
    const id = await run(WIDE, 'python-orchestrator', { runMode: 'ONCE', papers: 3, paceMs: 0, workers: 1 });
    expect(await finished(WIDE, id)).toBe('completed');
    const events = await eventsOf(WIDE, id);
    const published = artifactsIn(events);
    expect(published.map((e) => [e.stage, e.name, e.contentType, e.title])).toEqual([
      ['visualization', 'completeness.svg', 'image/svg+xml', 'Completeness by pillar'],
      ['finalization', 'report.md', 'text/markdown; charset=utf-8', 'Literature review report'],
    ]);
    await expectStoredAsSaid(WIDE, id, published);
    expect(new TextDecoder().decode(await bytesOf(WIDE, artifactKey(id, 1, 'report.md')))).toContain('](completeness.svg)');
    expect(warningsIn(events)).toEqual([]);
  });

  it('publishes its ::artifact files and collects what it left in HEADWAY_OUTPUT_DIR, never following a link', async () => {
    const id = await run(TIGHT, 'publish', { mode: 'good' });
    expect(await finished(TIGHT, id)).toBe('completed');
    const events = await eventsOf(TIGHT, id);
    const published = artifactsIn(events);
    expect(published.map((e) => [e.name, e.stage, e.title])).toEqual([
      ['charts/a.svg', 'make', 'Chart A'],
      ['notes.txt', 'done', undefined],
      ['sub/data.csv', 'done', undefined],
    ]);
    await expectStoredAsSaid(TIGHT, id, published);
    expect(warningsIn(events)).toEqual([]);
    expect((await streams[TIGHT]!.artifacts(id)).map((e) => e.event.name)).toEqual(['charts/a.svg', 'notes.txt', 'sub/data.csv']);
  });

  it('refuses paths outside, control characters, files over MAX_ARTIFACT_BYTES and past MAX_ARTIFACTS_PER_JOB with a warn line each, and completes', async () => {
    const id = await run(TIGHT, 'publish', { mode: 'bad' });
    expect(await finished(TIGHT, id)).toBe('completed');
    const events = await eventsOf(TIGHT, id);
    expect(warningsIn(events)).toEqual([
      `Artifact "../../etc/passwd" was not stored: it is outside HEADWAY_OUTPUT_DIR and the program's working directory`,
      `Artifact "/etc/passwd" was not stored: it is outside HEADWAY_OUTPUT_DIR and the program's working directory`,
      'Artifact "bell\\u0007.txt" was not stored: its name is not allowed: it holds a control character',
      'Artifact "big.bin" was not stored: The artifact is larger than 1000 bytes (MAX_ARTIFACT_BYTES)',
      'Artifact "ok4.txt" was not stored: this attempt already published 3 artifacts (MAX_ARTIFACTS_PER_JOB)',
      '1 file left in HEADWAY_OUTPUT_DIR was not stored: "extra.txt": this attempt reached MAX_ARTIFACTS_PER_JOB',
    ]);
    const published = artifactsIn(events);
    expect(published.map((e) => e.name)).toEqual(['ok1.txt', 'ok2.txt', 'ok3.txt']);
    await expectStoredAsSaid(TIGHT, id, published);
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'completed' });
    // Nothing of this job lies outside its own prefix, and nothing else is in the store.
    const files = storeFiles(TIGHT).filter((f) => f.includes(id) || !f.startsWith('jobs/'));
    expect(files).toEqual(['ok1.txt', 'ok2.txt', 'ok3.txt'].map((n) => `jobs/${id}/1/${n}`));
  });

  it('keeps a retry’s artifacts beside the first attempt’s', async () => {
    const id = await run(TIGHT, 'publish', { mode: 'retry' }, { attempts: 2 });
    expect(await finished(TIGHT, id)).toBe('completed');
    const index = (await streams[TIGHT]!.artifacts(id)).map((e) => e.event);
    expect(index.map((e) => [e.attempt, e.name, e.title])).toEqual([
      [1, 'attempt.txt', 'Attempt 1'],
      [2, 'attempt.txt', 'Attempt 2'],
    ]);
    await expectStoredAsSaid(TIGHT, id, index);
    expect(new TextDecoder().decode(await bytesOf(TIGHT, artifactKey(id, 1, 'attempt.txt')))).toBe('1');
    expect(new TextDecoder().decode(await bytesOf(TIGHT, artifactKey(id, 2, 'attempt.txt')))).toBe('2');
  });
});

describe('a worker killed while an artifact streams', () => {
  it('leaves no artifact event and nothing under the key, only a partial file', async () => {
    const id = await run(WIDE, 'slow-artifact', {});
    const partials = join(top, WIDE, 'store', '.partial');
    const partialBytes = () => {
      try {
        return readdirSync(partials).reduce((n, f) => n + statSync(join(partials, f)).size, 0);
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 15_000;
    while (partialBytes() < 512 * 1024) {
      if (Date.now() > deadline) throw new Error(`the artifact did not start streaming: ${partialBytes()} bytes`);
      await Bun.sleep(20);
    }
    wide.proc.kill('SIGKILL');
    await wide.proc.exited;
    const written = partialBytes();
    await Bun.sleep(200);
    expect(partialBytes()).toBe(written);
    expect(readdirSync(partials)).toHaveLength(1);
    const events = await eventsOf(WIDE, id);
    expect(events.some((e) => e.kind === 'progress' && e.stage === 'write')).toBe(true);
    expect(artifactsIn(events)).toEqual([]);
    expect(await streams[WIDE]!.artifacts(id)).toEqual([]);
    expect(await stores[WIDE]!.get(artifactKey(id, 1, 'large.bin'))).toBeUndefined();
    expect(storeFiles(WIDE).filter((f) => f.startsWith(`jobs/${id}/`))).toEqual([]);
  });
});
