// `npm run bench -- artifacts`: MB/s up and down, and the peak RSS on the way, of 1 MB and 100 MB
// artifacts through each Headway artifact store, beside the floor of the same run on the same
// bytes: a raw file write and read (Bun.write, Bun.file) for the folder store, the raw
// Bun.S3Client write and read for the S3 store (on a local s3rver). Target: headway ÷ raw ≥ 0.8
// both ways, and a peak RSS that does not grow with the artifact's size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArtifactStore, LocalArtifactStore, S3ArtifactStore } from '@headway/progress';
import { startS3 } from '../tests/support/s3-server.ts';
import { Cleanup } from './cleanup.ts';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const SIZES = [
  { label: '1 MB', bytes: MB, rounds: 15 },
  { label: '100 MB', bytes: 100 * MB, rounds: 3 },
];
/** Peak RSS at 100 MB may exceed the raw path's by this much and still count as flat. */
const FLAT_SLACK = 16 * MB;

/** `bytes` of fresh 64 KiB chunks, as a producer writes them. */
function source(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const chunk = new Uint8Array(Math.min(CHUNK, bytes - sent)).fill(sent / CHUNK);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

async function drain(body: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) n += chunk.byteLength;
  return n;
}

/** Seconds taken and the RSS's rise above where it stood when `run` began, sampled every 5 ms. */
async function measure(run: () => Promise<unknown>): Promise<{ seconds: number; peakRss: number }> {
  Bun.gc(true);
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, peakRss: peak - before };
}

interface Path {
  up(key: string, bytes: number): Promise<unknown>;
  down(key: string, bytes: number): Promise<void>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (bytes: number, seconds: number) => bytes / MB / seconds;

async function run(path: Path, bytes: number, rounds: number, tag: string) {
  const up: number[] = [];
  const down: number[] = [];
  let peakRss = 0;
  for (let round = 0; round < rounds; round++) {
    const key = `jobs/bench-${tag}-${round}/1/artifact.bin`;
    const u = await measure(() => path.up(key, bytes));
    const d = await measure(() => path.down(key, bytes));
    up.push(mbps(bytes, u.seconds));
    down.push(mbps(bytes, d.seconds));
    peakRss = Math.max(peakRss, u.peakRss, d.peakRss);
  }
  return { up_mb_s: median(up), down_mb_s: median(down), peak_rss_mb: peakRss / MB };
}

function headwayPath(store: ArtifactStore): Path {
  return {
    up: (key, bytes) => store.put(key, source(bytes), { contentType: 'application/octet-stream', maxBytes: bytes }),
    async down(key, bytes) {
      const got = await store.get(key);
      if ((await drain(got!.body)) !== bytes) throw new Error(`${store.where}: ${key} read short`);
    },
  };
}

export async function benchArtifacts() {
  const cleanup = new Cleanup();
  try {
    const folder = mkdtempSync(join(tmpdir(), 'hw-bench-artifacts-'));
    cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
    const s3 = await startS3({ bucket: 'bench' });
    cleanup.push(() => s3.stop());
    const client = new Bun.S3Client({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });

    const stores: Array<{ name: string; raw: string; rawPath: Path; headway: Path }> = [
      {
        name: 'folder',
        raw: 'Bun.write / Bun.file',
        rawPath: {
          up: (key, bytes) => Bun.write(join(folder, 'raw', key), new Response(source(bytes))),
          async down(key) {
            await drain(Bun.file(join(folder, 'raw', key)).stream());
          },
        },
        headway: headwayPath(new LocalArtifactStore(join(folder, 'headway'))),
      },
      {
        name: 's3',
        raw: 'Bun.S3Client write / stream',
        rawPath: {
          up: (key, bytes) => client.file(`raw/${key}`).write(new Response(source(bytes))),
          async down(key) {
            await drain(client.file(`raw/${key}`).stream());
          },
        },
        headway: headwayPath(new S3ArtifactStore({ ...s3, prefix: 'headway' })),
      },
    ];

    console.log('artifacts: MB/s up and down (median of rounds) and the peak RSS rise (MB) of this process, headway beside raw');
    console.log(
      `${'store'.padEnd(8)}${'size'.padStart(8)}${'path'.padStart(9)}${'up MB/s'.padStart(10)}${'down MB/s'.padStart(11)}${'peak RSS'.padStart(10)}`,
    );
    const results: Record<string, unknown> = {};
    let allHold = true;
    for (const store of stores) {
      const bySize: Record<string, { raw: Awaited<ReturnType<typeof run>>; headway: Awaited<ReturnType<typeof run>> }> = {};
      for (const [i, { label, bytes, rounds }] of SIZES.entries()) {
        // Which goes first alternates from size to size, so neither always runs on a warmer machine.
        const first = i % 2 === 0 ? 'raw' : 'headway';
        const once = {
          raw: () => run(store.rawPath, bytes, rounds, `raw-${bytes}`),
          headway: () => run(store.headway, bytes, rounds, `hw-${bytes}`),
        };
        const early = await once[first]();
        const late = await once[first === 'raw' ? 'headway' : 'raw']();
        const [raw, headway] = first === 'raw' ? [early, late] : [late, early];
        bySize[label] = { raw, headway };
        for (const [path, r] of [
          ['raw', raw],
          ['headway', headway],
        ] as const) {
          console.log(
            `${store.name.padEnd(8)}${label.padStart(8)}${path.padStart(9)}${r.up_mb_s.toFixed(0).padStart(10)}${r.down_mb_s.toFixed(0).padStart(11)}${r.peak_rss_mb.toFixed(1).padStart(10)}`,
          );
        }
      }
      const ratios = Object.fromEntries(
        Object.entries(bySize).map(([label, { raw, headway }]) => [
          label,
          {
            up: Number((headway.up_mb_s / raw.up_mb_s).toFixed(3)),
            down: Number((headway.down_mb_s / raw.down_mb_s).toFixed(3)),
          },
        ]),
      );
      const large = bySize['100 MB']!;
      const flat = large.headway.peak_rss_mb <= large.raw.peak_rss_mb + FLAT_SLACK / MB;
      const fast = Object.values(ratios).every((r) => r.up >= 0.8 && r.down >= 0.8);
      allHold &&= flat && fast;
      for (const [label, r] of Object.entries(ratios))
        console.log(`${store.name}: ${label} headway ÷ raw (${store.raw}): up ${r.up.toFixed(2)}, down ${r.down.toFixed(2)}`);
      console.log(
        `${store.name}: target ≥ 0.8 × raw ${fast ? 'holds' : 'MISSED'}; peak RSS at 100 MB ${large.headway.peak_rss_mb.toFixed(1)} MB vs raw ${large.raw.peak_rss_mb.toFixed(1)} MB: ${flat ? 'flat' : 'NOT flat'}`,
      );
      results[store.name] = { raw_path: store.raw, sizes: bySize, headway_over_raw: ratios, fast, rss_flat: flat };
    }
    console.log(`artifacts: target ${allHold ? 'holds' : 'MISSED'} for every store`);
    return { ...results, target_holds: allHold };
  } finally {
    await cleanup.run();
  }
}
