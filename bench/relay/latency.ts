// Latency sources: events written the way the worker writes them, the raw Redis hop beneath the
// relay, and the seed's file polling.
import { appendFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis, type EventStream } from '@headway/progress';
import { emitTimeOf, progressEvent, wallNow } from './shared.ts';

/**
 * Calls `tick(i)` for each of `n` sources `rate` times a second for `durationMs`, the sources'
 * ticks spread evenly over the period; resolves when every tick's promise has settled.
 */
export async function paced(n: number, rate: number, durationMs: number, tick: (i: number) => Promise<unknown>) {
  const period = 1000 / rate;
  const end = wallNow() + durationMs;
  const inflight: Promise<unknown>[] = [];
  let failures = 0;
  await Promise.all(
    Array.from(
      { length: n },
      (_, i) =>
        new Promise<void>((resolve) => {
          setTimeout(
            () => {
              const timer = setInterval(() => {
                if (wallNow() >= end) {
                  clearInterval(timer);
                  return resolve();
                }
                inflight.push(tick(i).catch(() => failures++));
              }, period);
            },
            (i * period) / n,
          );
        }),
    ),
  );
  await Promise.all(inflight);
  if (failures > 0) throw new Error(`${failures} writes failed`);
  return inflight.length;
}

/** Headway's write path: one EventStream.append (the worker's Lua script) per event, emit time in it. */
export function emitEvents(stream: EventStream, jobIds: string[], rate: number, durationMs: number) {
  return paced(jobIds.length, rate, durationMs, (i) => {
    const jobId = jobIds[i]!;
    return stream.append(jobId, [progressEvent(jobId, wallNow())]);
  });
}

/**
 * The floor under the relay: plain XADD of the same event JSON on one connection, one blocking
 * XREAD over every stream on another, at the load the relay gets. Samples after `warmupMs`.
 */
export async function redisFloor(url: string, streams: number, rate: number, durationMs: number, warmupMs: number) {
  const writer = createRedis(url, 'blocking');
  const reader = createRedis(url, 'blocking');
  const keys = Array.from({ length: streams }, (_, i) => `floor:${i}`);
  const cursors = keys.map(() => '0-0');
  const samples: number[] = [];
  const measureFrom = wallNow() + warmupMs;
  let running = true;
  const read = (async () => {
    while (running) {
      const reply = (await reader.xread('COUNT', 500, 'BLOCK', 500, 'STREAMS', ...keys, ...cursors)) as
        | [string, [string, string[]][]][]
        | null;
      const at = wallNow();
      for (const [key, entries] of reply ?? []) {
        cursors[keys.indexOf(key)] = entries.at(-1)![0];
        for (const [, fields] of entries) {
          const emitted = emitTimeOf(fields[fields.indexOf('e') + 1]!);
          if (emitted !== undefined && emitted >= measureFrom) samples.push(at - emitted);
        }
      }
    }
  })();
  try {
    let seq = 0;
    await paced(streams, rate, warmupMs + durationMs, (i) =>
      writer.xadd(keys[i]!, 'MAXLEN', '~', '100000', '*', 'seq', ++seq, 'e', JSON.stringify(progressEvent(`f${i}`, wallNow()))),
    );
    await Bun.sleep(100);
  } finally {
    running = false;
    await read.catch(() => undefined);
    writer.disconnect();
    reader.disconnect();
  }
  return samples;
}

/**
 * The seed's design: the worker appends lines to a file, the server polls the file every
 * `pollMs` for new lines. Latency is when the poll sees a line minus when it was written.
 */
export async function seedPolling(lines: number, rate: number, pollMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'hw-seed-'));
  const file = join(dir, 'job.log');
  writeFileSync(file, '');
  const fd = openSync(file, 'r');
  const samples: number[] = [];
  let offset = 0;
  let partial = '';
  const poll = () => {
    const buffer = Buffer.alloc(1 << 16);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      if (n <= 0) return;
      offset += n;
      const at = wallNow();
      const text = partial + buffer.toString('utf8', 0, n);
      const parts = text.split('\n');
      partial = parts.pop()!;
      for (const line of parts) samples.push(at - Number(line));
    }
  };
  const poller = setInterval(poll, pollMs);
  try {
    await paced(1, rate, (lines / rate) * 1000, async () => appendFileSync(file, `${wallNow()}\n`));
    await Bun.sleep(pollMs + 50);
  } finally {
    clearInterval(poller);
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}
