// An attempt's artifacts as one zip, streamed: each file is read from the store a chunk at a time
// as the client reads the archive (fflate's streaming Zip, entries stored as they are), so neither
// a file nor the archive is ever held whole.
import { type ArtifactEvent, type ArtifactStore, artifactKey, HeadwayError } from '@headway/progress';
import { Zip, ZipPassThrough } from 'fflate';

/** fflate writes no ZIP64 records: offsets past 4 GiB cannot be told. */
const MAX_ZIP_BYTES = 0xffff_ffff - 64 * 1024 * 1024;

export function artifactZip(store: ArtifactStore, jobId: string, artifacts: readonly ArtifactEvent[]): ReadableStream<Uint8Array> {
  const total = artifacts.reduce((sum, a) => sum + a.size, 0);
  if (total > MAX_ZIP_BYTES) {
    throw new HeadwayError(
      413,
      'PAYLOAD_TOO_LARGE',
      `These artifacts add up to ${total} bytes, more than a zip can hold here; download them one by one`,
    );
  }
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let failed = false;
  const zip = new Zip((error, chunk, final) => {
    if (failed) return;
    if (error) {
      failed = true;
      controller.error(error);
      return;
    }
    controller.enqueue(chunk);
    if (final) controller.close();
  });
  let next = 0;
  let current: { entry: ZipPassThrough; reader: ReadableStreamDefaultReader<Uint8Array> } | undefined;

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      // Each pull moves one chunk of one file into the archive: the client's reading paces the store's.
      async pull() {
        if (!current) {
          const artifact = artifacts[next++];
          if (!artifact) {
            zip.end();
            return;
          }
          const stored = await store.get(artifactKey(jobId, artifact.attempt, artifact.name));
          if (!stored) throw new Error(`artifact ${jobId}/${artifact.attempt}/${artifact.name} is gone from the store`);
          const entry = new ZipPassThrough(artifact.name);
          entry.mtime = new Date(artifact.ts);
          zip.add(entry);
          current = { entry, reader: stored.body.getReader() };
        }
        const { done, value } = await current.reader.read();
        if (done) {
          current.entry.push(new Uint8Array(0), true);
          current = undefined;
        } else {
          current.entry.push(value, false);
        }
      },
      async cancel() {
        failed = true;
        await current?.reader.cancel().catch(() => undefined);
        zip.terminate();
      },
    },
    { highWaterMark: 0 },
  );
}
