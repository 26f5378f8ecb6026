// Streams `MB` megabytes of fresh bytes into the store ARTIFACT_STORE names (with its variables)
// and reads them back, in a process of its own so its RSS is the store's alone; prints one JSON
// line: what was stored and read (size, sha256 from node:crypto) and the RSS before, at peak and after.
import { createHash } from 'node:crypto';
import { createArtifactStore } from '@headway/progress';

const bytes = Number(process.argv[2] ?? 100) * 1024 * 1024;
const CHUNK = 64 * 1024;
const store = createArtifactStore(process.env.ARTIFACT_STORE!);
const key = `jobs/rss/1/big ${bytes}.bin`;

const expected = createHash('sha256');
let sent = 0;
const source = new ReadableStream<Uint8Array>({
  pull(controller) {
    if (sent >= bytes) return controller.close();
    // A fresh buffer each time, as a producer's would be, each one different.
    const chunk = new Uint8Array(Math.min(CHUNK, bytes - sent)).fill(sent / CHUNK);
    sent += chunk.byteLength;
    expected.update(chunk);
    controller.enqueue(chunk);
  },
});

Bun.gc(true);
const before = process.memoryUsage.rss();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
const stored = await store.put(key, source, { contentType: 'application/octet-stream', maxBytes: bytes });
const got = await store.get(key);
const read = createHash('sha256');
let readSize = 0;
for await (const chunk of got!.body as unknown as AsyncIterable<Uint8Array>) {
  read.update(chunk);
  readSize += chunk.byteLength;
}
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
Bun.gc(true);
const after = process.memoryUsage.rss();
await store.deletePrefix('jobs/rss/');
console.log(
  JSON.stringify({
    stored,
    expectedSha256: expected.digest('hex'),
    readSize,
    readSha256: read.digest('hex'),
    reportedSize: got!.size,
    before,
    peak,
    after,
  }),
);
