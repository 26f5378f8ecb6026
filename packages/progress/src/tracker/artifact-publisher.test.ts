import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { artifactKey } from '../artifacts/artifact-store.ts';
import { LocalArtifactStore } from '../artifacts/local-artifact-store.ts';
import type { NewJobEvent } from '../model/events.ts';
import { JobArtifacts } from './artifact-publisher.ts';
import { ProgressTracker } from './progress-tracker.ts';

const STAGES = [
  { name: 'draw', label: 'Draw', weight: 1 },
  { name: 'write', label: 'Write', weight: 1 },
];
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup({ maxBytes = 1000, maxCount = 3, attempt = 1 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hw-publisher-'));
  dirs.push(dir);
  const events: NewJobEvent[] = [];
  const tracker = new ProgressTracker({ jobId: 'j1', attempt, stages: STAGES, emit: (e) => events.push(e) });
  const store = new LocalArtifactStore(join(dir, 'store'));
  const artifacts = new JobArtifacts({ jobId: 'j1', attempt, store, tracker, maxBytes, maxCount });
  const read = async (name: string, at = attempt) => {
    const got = await store.get(artifactKey('j1', at, name));
    return got && new Uint8Array(await new Response(got.body).arrayBuffer());
  };
  const warnings = () => events.flatMap((e) => (e.kind === 'log' && e.level === 'warn' ? [e.message] : []));
  const published = () => events.flatMap((e) => (e.kind === 'artifact' ? [e] : []));
  return { dir, events, tracker, store, artifacts, read, warnings, published };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('JobArtifacts.put', () => {
  it('stores every kind of body whole under the attempt’s key, then reports it in the open stage', async () => {
    const job = setup({ maxCount: 10, attempt: 2 });
    const file = join(job.dir, 'data.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    job.tracker.emit('draw', 'starting', 'Drawing');
    const bodies = {
      'text.md': '# Hé',
      'bytes.bin': new Uint8Array([0, 1, 2, 255]),
      'buffer.bin': new Uint8Array([9, 8]).buffer,
      'blob.json': new Blob(['{"a":1}']),
      'charts/stream.svg': new Blob(['<svg/>']).stream(),
      'from-file.csv': { path: file },
    };
    for (const [name, body] of Object.entries(bodies)) {
      const result = await job.artifacts.put(name, body, name === 'blob.json' ? { title: '  Two\nlines ' } : {});
      expect(result.stored, name).toBe(true);
    }
    job.tracker.emit('draw', 'complete', 'Drawn');
    await job.artifacts.put('late.txt', 'between stages', { contentType: 'text/x-custom; charset=utf-8' });

    expect(job.warnings()).toEqual([]);
    const published = job.published();
    expect(published.map((e) => [e.name, e.stage, e.attempt, e.contentType])).toEqual([
      ['text.md', 'draw', 2, 'text/markdown; charset=utf-8'],
      ['bytes.bin', 'draw', 2, 'application/octet-stream'],
      ['buffer.bin', 'draw', 2, 'application/octet-stream'],
      ['blob.json', 'draw', 2, 'application/json'],
      ['charts/stream.svg', 'draw', 2, 'image/svg+xml'],
      ['from-file.csv', 'draw', 2, 'text/csv; charset=utf-8'],
      ['late.txt', undefined, 2, 'text/x-custom; charset=utf-8'],
    ]);
    expect(published[3]!.title).toBe('Two lines');
    for (const event of published) {
      const bytes = (await job.read(event.name))!;
      expect(event.size, event.name).toBe(bytes.byteLength);
      expect(event.sha256, event.name).toBe(sha256(bytes));
    }
    expect(new TextDecoder().decode(await job.read('text.md'))).toBe('# Hé');
    expect(job.tracker.snapshot().artifacts).toBe(7);
  });

  it('refuses a bad name, a second put of a name, a put past the cap and a bad content type, each with a warn line, and goes on', async () => {
    const job = setup({ maxCount: 2 });
    job.tracker.emit('write', 'running', 'Writing');
    const results = [
      await job.artifacts.put('../escape.txt', 'x'),
      await job.artifacts.put('bell\u0007.txt', 'x'),
      await job.artifacts.put('/etc/passwd', 'x'),
      await job.artifacts.put('one.txt', '1'),
      await job.artifacts.put('one.txt', 'again'),
      await job.artifacts.put('two.txt', '2', { contentType: 'not a type' }),
      await job.artifacts.put('two.txt', '2'),
      await job.artifacts.put('three.txt', '3'),
    ];
    expect(results.map((r) => r.stored)).toEqual([false, false, false, true, false, false, true, false]);
    expect(job.warnings()).toEqual([
      'Artifact "../escape.txt" was not stored: its name is not allowed: it has a . or .. segment',
      'Artifact "bell\\u0007.txt" was not stored: its name is not allowed: it holds a control character',
      'Artifact "/etc/passwd" was not stored: its name is not allowed: it is an absolute path',
      'Artifact "one.txt" was not stored: this attempt already published an artifact of that name',
      'Artifact "two.txt" was not stored: "not a type" is not a content type',
      'Artifact "three.txt" was not stored: this attempt already published 2 artifacts (MAX_ARTIFACTS_PER_JOB)',
    ]);
    expect(job.events.filter((e) => e.kind === 'log').every((e) => e.kind === 'log' && e.stage === 'write')).toBe(true);
    expect(job.published().map((e) => e.name)).toEqual(['one.txt', 'two.txt']);
    expect(new TextDecoder().decode(await job.read('one.txt'))).toBe('1');
    expect(readdirSync(join(job.dir, 'store', 'jobs', 'j1', '1')).sort()).toEqual(['one.txt', 'two.txt']);
  });

  it('refuses a body over MAX_ARTIFACT_BYTES, known or streamed, keeping nothing, and gives its slot back', async () => {
    const job = setup({ maxBytes: 1000, maxCount: 2 });
    const big = new Uint8Array(1001);
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(300));
        controller.close();
      },
    });
    const results = [
      await job.artifacts.put('big.bin', big),
      await job.artifacts.put('streamed.bin', chunks),
      await job.artifacts.put('missing.txt', { path: join(job.dir, 'nope.txt') }),
      await job.artifacts.put('folder', { path: job.dir }),
      await job.artifacts.put('exact.bin', new Uint8Array(1000)),
      await job.artifacts.put('small.txt', 'ok'),
    ];
    expect(results.map((r) => r.stored)).toEqual([false, false, false, false, true, true]);
    expect(job.warnings()).toEqual([
      'Artifact "big.bin" was not stored: The artifact is larger than 1000 bytes (MAX_ARTIFACT_BYTES)',
      'Artifact "streamed.bin" was not stored: The artifact is larger than 1000 bytes (MAX_ARTIFACT_BYTES)',
      expect.stringMatching(/^Artifact "missing.txt" was not stored: could not store it: cannot read .*nope\.txt: .*ENOENT/),
      expect.stringMatching(/^Artifact "folder" was not stored: could not store it: .* is not a file$/),
    ]);
    expect(await job.read('big.bin')).toBeUndefined();
    expect(await job.read('streamed.bin')).toBeUndefined();
    expect(readdirSync(join(job.dir, 'store', '.partial'))).toEqual([]);
    expect(job.published().map((e) => [e.name, e.size])).toEqual([
      ['exact.bin', 1000],
      ['small.txt', 2],
    ]);
  });

  it('settles puts the pipeline did not await', async () => {
    const job = setup();
    void job.artifacts.put('a.txt', 'a');
    void job.artifacts.put('b.txt', 'b');
    expect(job.published()).toEqual([]);
    await job.artifacts.settled();
    expect(
      job
        .published()
        .map((e) => e.name)
        .sort(),
    ).toEqual(['a.txt', 'b.txt']);
  });
});
