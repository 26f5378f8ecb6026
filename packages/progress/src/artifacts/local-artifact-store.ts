// The artifact store in a folder: right for one host, or a volume every API and worker mounts.
// An artifact is written to `.partial/` first and renamed into place once whole, so a worker
// killed mid-write leaves only a partial file, which nothing reads and the sweep removes.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathInside } from '../server/path-inside.ts';
import { type ArtifactStore, type ByteRange, metered, type StoredArtifact } from './artifact-store.ts';

const PARTIAL = '.partial';

export class LocalArtifactStore implements ArtifactStore {
  readonly where: string;

  constructor(readonly root: string) {
    this.where = `folder ${root}`;
  }

  async put(
    key: string,
    body: ReadableStream<Uint8Array>,
    { maxBytes }: { contentType: string; maxBytes: number },
  ): Promise<StoredArtifact> {
    const target = pathInside(this.root, key);
    const partial = pathInside(this.root, PARTIAL, randomUUID());
    await mkdir(dirname(partial), { recursive: true });
    const { stream, result } = metered(body, maxBytes);
    // Bun's file sink batches small chunks into large writes (a write per chunk costs a syscall).
    const file = Bun.file(partial).writer({ highWaterMark: 1024 * 1024 });
    try {
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) file.write(chunk);
      await file.end();
      const stored = await result;
      await mkdir(dirname(target), { recursive: true });
      await rename(partial, target);
      return stored;
    } catch (error) {
      await Promise.resolve(file.end()).catch(() => undefined);
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<{ body: ReadableStream<Uint8Array>; size: number } | undefined> {
    const path = pathInside(this.root, key);
    const size = await stat(path).then(
      (s) => (s.isFile() ? s.size : undefined),
      () => undefined,
    );
    if (size === undefined) return undefined;
    const file = Bun.file(path);
    const body = (range ? file.slice(range.start, range.end + 1) : file).stream();
    return { body, size };
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(pathInside(this.root, prefix), { recursive: true, force: true });
  }

  async jobIds(): Promise<string[]> {
    return readdir(join(this.root, 'jobs')).catch(() => []);
  }

  /** Removes partial files older than `ageMs`: what writers killed mid-write left behind. */
  async sweepPartials(ageMs: number): Promise<void> {
    const folder = join(this.root, PARTIAL);
    const names = await readdir(folder).catch(() => [] as string[]);
    const before = Date.now() - ageMs;
    for (const name of names) {
      const path = join(folder, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < before) await rm(path, { force: true });
    }
  }
}
