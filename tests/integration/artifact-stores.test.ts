// One contract, both artifact stores: the folder store on a temporary folder and the S3 store on
// a real S3-compatible server (s3rver) on a free port. Whatever ARTIFACT_STORE names, a run's
// files round-trip byte for byte, ranges read exactly, a failed or oversized upload leaves
// nothing, one job's deletion spares the others, and a 100 MB artifact streams in flat memory.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ArtifactStore,
  ArtifactTooLargeError,
  artifactKey,
  artifactPrefix,
  createArtifactStore,
  LocalArtifactStore,
  S3ArtifactStore,
} from '@headway/progress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Handle, startS3 } from '../support/s3-server.ts';

const MIB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `bytes` as a stream of uneven chunks, as a producer would write them. */
function streamOf(bytes: Uint8Array, chunk = 65_537): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

/** `bytes`, then an error, as when the producer dies mid-write. */
function failingAfter(bytes: Uint8Array, error: Error): ReadableStream<Uint8Array> {
  const reader = streamOf(bytes).getReader();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.error(error);
      else controller.enqueue(value);
    },
  });
}

/** Bytes without end; counts what was pulled, so a store that stops reading can be seen to. */
function endless(): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024).fill(1));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(body).arrayBuffer());
}

async function put(store: ArtifactStore, key: string, bytes: Uint8Array, maxBytes = 100 * MIB) {
  return store.put(key, streamOf(bytes), { contentType: 'application/octet-stream', maxBytes });
}

async function getBytes(store: ArtifactStore, key: string, range?: { start: number; end: number }) {
  const got = await store.get(key, range);
  return got && { size: got.size, bytes: await readAll(got.body) };
}

interface Opened {
  store: ArtifactStore;
  /** ARTIFACT_STORE and its variables, for a process of its own. */
  env: Record<string, string>;
  /** A second store beside this one (another folder, another prefix of the bucket). */
  neighbour: ArtifactStore;
}

function describeArtifactStore(name: string, open: () => Promise<Opened>) {
  describe(`the ${name} artifact store`, () => {
    let store: ArtifactStore;
    let opened: Opened;
    const job = () => `job-${randomUUID()}`;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });

    it('gives back every byte put, with the size and SHA-256 node:crypto computes, empty and multipart alike', async () => {
      const id = job();
      for (const bytes of [new Uint8Array(0), new Uint8Array([42]), new Uint8Array(randomBytes(7 * MIB + 3))]) {
        const key = artifactKey(id, 1, `file-${bytes.byteLength}.bin`);
        expect(await put(store, key, bytes)).toEqual({ size: bytes.byteLength, sha256: sha256(bytes) });
        const got = await getBytes(store, key);
        expect(got?.size).toBe(bytes.byteLength);
        expect(got!.bytes.byteLength).toBe(bytes.byteLength);
        expect(sha256(got!.bytes)).toBe(sha256(bytes));
      }
    });

    it('reads a range exactly: the first byte, a middle stretch, the last byte and the whole, each with the whole size', async () => {
      const bytes = new Uint8Array(randomBytes(MIB + 17));
      const key = artifactKey(job(), 1, 'ranged.bin');
      await put(store, key, bytes);
      const last = bytes.byteLength - 1;
      for (const range of [
        { start: 0, end: 0 },
        { start: 1000, end: 70_000 },
        { start: last, end: last },
        { start: 0, end: last },
      ]) {
        const got = await getBytes(store, key, range);
        expect(got?.size).toBe(bytes.byteLength);
        expect(got!.bytes.byteLength).toBe(range.end - range.start + 1);
        expect(sha256(got!.bytes)).toBe(sha256(bytes.subarray(range.start, range.end + 1)));
      }
    });

    it('answers undefined for a key it does not hold, including a folder of keys it does', async () => {
      const id = job();
      await put(store, artifactKey(id, 1, 'charts/radar.svg'), new Uint8Array([1, 2, 3]));
      expect(await store.get(artifactKey(id, 1, 'charts/missing.svg'))).toBeUndefined();
      expect(await store.get(artifactKey(id, 1, 'charts'))).toBeUndefined();
      expect(await store.get(artifactKey(id, 2, 'charts/radar.svg'))).toBeUndefined();
      expect(await store.get(artifactKey(job(), 1, 'charts/radar.svg'), { start: 0, end: 0 })).toBeUndefined();
    });

    it('keeps nothing under the key when the stream fails midway, before or after a first part, and rejects with its error', async () => {
      const id = job();
      for (const size of [100_000, 6 * MIB]) {
        const key = artifactKey(id, 1, `broken-${size}.bin`);
        const failure = new Error(`the producer died after ${size} bytes`);
        await expect(
          store.put(key, failingAfter(new Uint8Array(size).fill(9), failure), {
            contentType: 'application/octet-stream',
            maxBytes: 100 * MIB,
          }),
        ).rejects.toThrow(failure.message);
        expect(await store.get(key)).toBeUndefined();
      }
      expect(await store.jobIds()).not.toContain(id);
    });

    it('refuses a stream past maxBytes with ArtifactTooLargeError, stops reading it and keeps nothing; exactly maxBytes is stored', async () => {
      const id = job();
      const maxBytes = 6 * MIB;
      const key = artifactKey(id, 1, 'too-large.bin');
      const source = endless();
      const refused = await store.put(key, source.stream, { contentType: 'application/octet-stream', maxBytes }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ArtifactTooLargeError);
      expect(refused).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', maxBytes });
      expect((refused as Error).message).toBe(`The artifact is larger than ${maxBytes} bytes (MAX_ARTIFACT_BYTES)`);
      expect(source.pulled()).toBeLessThan(maxBytes + 4 * MIB);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.jobIds()).not.toContain(id);

      const exact = new Uint8Array(maxBytes).fill(3);
      const fits = artifactKey(id, 1, 'just-fits.bin');
      expect(await put(store, fits, exact, maxBytes)).toEqual({ size: maxBytes, sha256: sha256(exact) });
      expect((await store.get(fits))?.size).toBe(maxBytes);
    });

    it("deletes one job's artifacts of every attempt and spares another job, even one whose id starts the same", async () => {
      const gone = job();
      const kept = `${gone}0`;
      const names = ['summary.md', 'charts/radar.svg', 'a/b/c/deep.json'];
      for (const id of [gone, kept]) {
        for (const attempt of [1, 2])
          for (const n of names) await put(store, artifactKey(id, attempt, n), new TextEncoder().encode(`${id} ${attempt} ${n}`));
      }
      await store.deletePrefix(artifactPrefix(gone));
      for (const attempt of [1, 2]) {
        for (const n of names) {
          expect(await store.get(artifactKey(gone, attempt, n))).toBeUndefined();
          const left = await getBytes(store, artifactKey(kept, attempt, n));
          expect(new TextDecoder().decode(left!.bytes)).toBe(`${kept} ${attempt} ${n}`);
        }
      }
      const ids = await store.jobIds();
      expect(ids).toContain(kept);
      expect(ids).not.toContain(gone);
      await store.deletePrefix(artifactPrefix('never-there'));
    });

    it("lists exactly the jobs it holds, and none of a neighbouring store's", async () => {
      const before = await store.jobIds();
      const fresh = [job(), job(), job()];
      for (const id of fresh) await put(store, artifactKey(id, 1, 'x/y.txt'), new Uint8Array([1]));
      const neighbours = job();
      await put(opened.neighbour, artifactKey(neighbours, 1, 'z.txt'), new Uint8Array([2]));
      expect((await store.jobIds()).sort()).toEqual([...before, ...fresh].sort());
      expect(await opened.neighbour.jobIds()).toEqual([neighbours]);
    });

    it('keeps names with spaces, unicode, URL characters and nested folders apart, each with its own bytes', async () => {
      const id = job();
      const names = [
        'report with spaces.md',
        'données/résumé ü 日本語.txt',
        'a/b/c/d/e/deep.json',
        'a b.txt',
        'a%20b.txt',
        'a+b.txt',
        'odd #?&=;,\'"<>!*().txt',
        'emoji 🚀/💾.bin',
      ];
      for (const n of names) await put(store, artifactKey(id, 1, n), new TextEncoder().encode(`bytes of ${n}`));
      for (const n of names) {
        const got = await getBytes(store, artifactKey(id, 1, n));
        expect(new TextDecoder().decode(got!.bytes)).toBe(`bytes of ${n}`);
      }
      expect(await store.jobIds()).toContain(id);
    });

    // Last, in a process of its own, so nothing else running shares the RSS measured.
    it("streams a 100 MB artifact in and out with the RSS flat: under 30 MB more after, never the artifact's size at peak", async () => {
      const child = Bun.spawn([process.execPath, join(import.meta.dirname, '../support/programs/artifact-round-trip.ts'), '100'], {
        env: { ...process.env, ...opened.env },
        stdout: 'pipe',
        stderr: 'inherit',
      });
      const out = await new Response(child.stdout).text();
      expect(await child.exited).toBe(0);
      const r = JSON.parse(out);
      expect(r.stored).toEqual({ size: 100 * MIB, sha256: r.expectedSha256 });
      expect([r.readSize, r.reportedSize, r.readSha256]).toEqual([100 * MIB, 100 * MIB, r.expectedSha256]);
      console.log(
        `${name}: 100 MB put+get, RSS +${((r.peak - r.before) / MIB).toFixed(1)} MiB at peak, +${((r.after - r.before) / MIB).toFixed(1)} MiB after`,
      );
      expect(r.after - r.before).toBeLessThan(30 * MIB);
      expect(r.peak - r.before).toBeLessThan(80 * MIB);
    });
  });
}

const folders: string[] = [];
let s3: S3Handle;

beforeAll(async () => {
  s3 = await startS3();
});

afterAll(async () => {
  await s3?.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describeArtifactStore('folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'hw-artifacts-'));
  const beside = mkdtempSync(join(tmpdir(), 'hw-artifacts-'));
  folders.push(root, beside);
  const store = createArtifactStore(root, {});
  expect(store).toBeInstanceOf(LocalArtifactStore);
  return { store, env: { ARTIFACT_STORE: root }, neighbour: new LocalArtifactStore(beside) };
});

describeArtifactStore('S3', async () => {
  const prefix = `run-${randomUUID()}/artifacts`;
  const store = createArtifactStore(`s3://${s3.bucket}/${prefix}`, s3.env());
  expect(store).toBeInstanceOf(S3ArtifactStore);
  expect(store.where).toBe(`s3://${s3.bucket}/${prefix}`);
  return { store, env: s3.env(prefix), neighbour: createArtifactStore(`s3://${s3.bucket}/${prefix}-beside`, s3.env()) };
});
