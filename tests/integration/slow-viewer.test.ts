// A viewer that stops reading (a frozen tab, a stalled network) must not grow the API's memory
// without bound. During a replay the API waits for it (Bun's backpressure); on the live tail it
// is closed past its limit. Either way, once it reads again it has every event, once.
import { connect } from 'node:net';
import { join } from 'node:path';
import { createRedis, EventStream, type JobSummary, type NewJobEvent, redisKeys } from '@headway/progress';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssMb } from '../support/process-memory.ts';
import { type ApiProcess, startStack, type TestStack } from '../support/test-stack.ts';

/** About 54 MB of live log lines for the viewer: far more than the API may hold for one. */
const EVENTS = 60_000;
/** About 90 MB of history for a replay. */
const REPLAYED = 100_000;
let stack: TestStack;
let api: ApiProcess;
let connection: Redis;
let stream: EventStream;

beforeAll(async () => {
  stack = await startStack({ prefix: 'slow' });
  ({ api } = stack);
  connection = createRedis(stack.redis.url, 'blocking');
  stream = new EventStream(connection, redisKeys('slow'), { maxLen: REPLAYED * 2 });
});

afterAll(async () => {
  connection?.disconnect();
  await stack?.stop();
});

const text = 'x'.repeat(900);

async function waitingJob(): Promise<string> {
  const res = await fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pipeline: 'literature-review' }),
  });
  return ((await res.json()) as JobSummary).id;
}

async function write(jobId: string, from: number, count: number) {
  for (let i = from; i < from + count; i += 500) {
    const batch = Array.from(
      { length: Math.min(500, from + count - i) },
      (_, k): NewJobEvent => ({
        kind: 'log',
        jobId,
        attempt: 1,
        ts: new Date().toISOString(),
        level: 'info',
        message: `${i + k + 1} ${text}`,
      }),
    );
    await stream.append(jobId, batch);
  }
}

/** A viewer process, frozen with SIGSTOP once it has received its first event. */
async function frozenViewer(jobId: string, last: number) {
  const proc = Bun.spawn([process.execPath, join(import.meta.dirname, '../support/viewer-process.ts'), api.url, jobId, String(last)], {
    stdout: 'pipe',
    stderr: 'inherit',
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let out = '';
  const readUntil = async (done: (s: string) => boolean) => {
    while (!done(out)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      out += decoder.decode(chunk.value);
    }
  };
  await readUntil((s) => s.includes('receiving'));
  proc.kill('SIGSTOP');
  return {
    /** Lets it read again and returns what it reports once it has every event. */
    async resume() {
      proc.kill('SIGCONT');
      await readUntil(() => false);
      expect(await proc.exited).toBe(0);
      return JSON.parse(out.slice(out.indexOf('{'))) as {
        count: number;
        problems: string | null;
        closes: { code: number; reason: string }[];
      };
    },
  };
}

/** The API's peak RSS over a few seconds, above what it was before. */
async function rssGrowthMb(before: number, seconds: number) {
  let peak = before;
  for (let i = 0; i < seconds * 4; i++) {
    await Bun.sleep(250);
    peak = Math.max(peak, rssMb(api.proc.pid));
  }
  return peak - before;
}

describe('a viewer that stops reading', () => {
  it('during a replay: the API waits for it (Bun backpressure) instead of buffering the job’s history', async () => {
    const jobId = await waitingJob();
    await write(jobId, 0, REPLAYED);
    const before = rssMb(api.proc.pid);
    // A client that completes the handshake and then never reads: the kernel's buffers fill,
    // then Bun's, and `send` says so.
    const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
    let upgraded = false;
    let closedByServer = false;
    socket.once('data', (chunk) => {
      upgraded = String(chunk).startsWith('HTTP/1.1 101');
      socket.pause();
    });
    socket.on('close', () => (closedByServer = true));
    socket.write(
      `GET /ws/jobs/${jobId}/progress?after=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${btoa('0123456789abcdef')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const growth = await rssGrowthMb(before, 3);
    expect(upgraded).toBe(true);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    socket.destroy();
    // Waiting, not closing. What it holds does not depend on the 90 MB owed: about 30 MB either
    // way, JSC's heap grown by the pages it parsed (the same with 135 MB owed).
    expect(closedByServer).toBe(false);
    expect(growth).toBeLessThan(45);
  }, 60_000);

  it('on the live tail: it is closed past its limit, the API’s memory stays bounded, and it resumes from its cursor', async () => {
    const jobId = await waitingJob();
    await write(jobId, 0, 1);
    const viewer = await frozenViewer(jobId, EVENTS + 1);
    const before = rssMb(api.proc.pid);
    await write(jobId, 1, EVENTS);
    const growth = await rssGrowthMb(before, 7);
    const report = await viewer.resume();
    expect(report.problems).toBeNull();
    expect(report.count).toBe(EVENTS + 1);
    // Cut off while frozen (its close frame sits behind what it had not read, so it may see 1006).
    expect(report.closes.length).toBeGreaterThanOrEqual(1);
    // What passes through the relay leaves garbage until JSC collects it; what is owed is 54 MB.
    expect(growth).toBeLessThan(30);
  }, 60_000);
});
