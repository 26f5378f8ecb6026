// The relay benchmark's measurements that need the running API, the viewer processes and the raw
// server; each leaves no socket open behind it.
import type { EventStream } from '@headway/progress';
import type { ProcessHandle } from '../../tests/support/processes.ts';
import { emitEvents, paced, seedPolling } from './latency.ts';
import { Child, cpuMs, percentiles, progressEvent, rssKb, wallNow } from './shared.ts';

export interface Rig {
  api: ProcessHandle & { url: string };
  stream: EventStream;
  /** Two viewer processes; viewers are dealt out between them. */
  viewers: [Child, Child];
  raw: Child;
  rawUrl: string;
  /** Each line written here makes the raw server publish one message to that topic. */
  rawTrigger: { write(data: string): unknown };
}

/** What the phases that only talk to the API need: the raw server is for baselines. */
export type ViewerRig = Pick<Rig, 'api' | 'stream' | 'viewers'>;

export const apiSocket = (rig: ViewerRig, jobId: string) => `${rig.api.url.replace(/^http/, 'ws')}/ws/jobs/${jobId}/progress`;
export const rawSocket = (rig: Rig, topic: string) => `${rig.rawUrl}/${topic}`;

/** Opens `count` viewers of the jobs, round robin, half in each viewer process. */
export async function connect<R extends ViewerRig>(rig: R, jobs: string[], count: number, url: (rig: R, job: string) => string) {
  const urls = Array.from({ length: count }, (_, k) => url(rig, jobs[k % jobs.length]!));
  const half = Math.ceil(count / 2);
  await Promise.all([
    rig.viewers[0].request('connect', { urls: urls.slice(0, half) }),
    rig.viewers[1].request('connect', { urls: urls.slice(half) }),
  ]);
}

const all = <T>(rig: ViewerRig, cmd: string, args: Record<string, unknown> = {}) =>
  Promise.all(rig.viewers.map((v) => v.request<T>(cmd, args)));

export async function closeViewers(rig: ViewerRig) {
  const status = await all<{ open: number; closed: { code: number }[] }>(rig, 'status');
  await all(rig, 'closeAll');
  return status.flatMap((s) => s.closed);
}

/** Latency samples of every viewer while `drive(durationMs)` runs, after a warm-up. */
export async function viewerLatency(rig: ViewerRig, warmupMs: number, measureMs: number, drive: (ms: number) => Promise<unknown>) {
  await all(rig, 'mode', { mode: 'latency' });
  const driving = drive(warmupMs + measureMs);
  await Bun.sleep(warmupMs);
  await all(rig, 'collect');
  await driving;
  await Bun.sleep(300);
  const replies = await all<{ samples: number[] }>(rig, 'collect');
  const closed = await closeViewers(rig);
  if (closed.length > 0) console.log(`  (${closed.length} viewers were closed by the server during the run)`);
  return percentiles(replies.flatMap((r) => r.samples));
}

/**
 * Messages a second delivered to every open viewer, from the first publish to the last arrival,
 * and the CPU the server process `pid` spent per thousand of them.
 */
export async function fanout(rig: ViewerRig, pid: number, expected: number, run: () => Promise<number>) {
  await all(rig, 'mode', { mode: 'count' });
  const cpuBefore = cpuMs(pid);
  const startedAt = await run();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const replies = await all<{ counted: number; lastAt: number }>(rig, 'collect');
    const counted = replies.reduce((a, r) => a + r.counted, 0);
    if (counted >= expected || Date.now() > deadline) {
      const cpu = cpuMs(pid) - cpuBefore;
      const lastAt = Math.max(...replies.map((r) => r.lastAt));
      const closed = await closeViewers(rig);
      if (counted < expected) console.log(`  (fan-out: ${counted} of ${expected} messages arrived; ${closed.length} viewers closed)`);
      return { msgPerS: counted / ((lastAt - startedAt) / 1000), cpuMsPer1000: (1000 * cpu) / counted };
    }
    await Bun.sleep(100);
  }
}

/** Headway's fan-out: `events` appended to one job in the worker's batches, as fast as Redis takes them. */
export async function headwayBurst(rig: ViewerRig, jobId: string, events: number, batch: number): Promise<number> {
  const startedAt = wallNow();
  for (let i = 0; i < events; i += batch) {
    await rig.stream.append(
      jobId,
      Array.from({ length: Math.min(batch, events - i) }, () => progressEvent(jobId, wallNow())),
    );
  }
  return startedAt;
}

/** The raw server's fan-out: the same count in the same batches, each batch one write to its trigger port. */
export async function rawBurst(rig: Rig, topic: string, events: number, batch: number): Promise<number> {
  const startedAt = wallNow();
  for (let i = 0; i < events; i += batch) {
    rig.rawTrigger.write(`${topic}\n`.repeat(Math.min(batch, events - i)));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return startedAt;
}

/**
 * A busy job writing 20 events every 10 ms to two live viewers: both read for `baselineMs`, then
 * one stops (its process SIGSTOPped) for `stallMs`. The API's RSS is sampled throughout. The
 * seed's polling latency is measured meanwhile: it waits on its own 500 ms timer and barely
 * notices the load.
 */
export async function stalledViewer(rig: Rig, jobId: string, baselineMs: number, stallMs: number) {
  const stalled = new Child('./viewers.ts');
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    await stalled.ready();
    await Promise.all([stalled, rig.viewers[0]].map((v) => v.request('connect', { urls: [apiSocket(rig, jobId)] })));
    await rig.viewers[0].request('mode', { mode: 'count' });
    let peak = rssKb(rig.api.proc.pid);
    const trace: number[] = [];
    sampler = setInterval(() => {
      peak = Math.max(peak, rssKb(rig.api.proc.pid));
      trace.push(peak);
    }, 100);
    const busy = (ms: number) =>
      paced(1, 100, ms, () =>
        rig.stream.append(
          jobId,
          Array.from({ length: 20 }, () => progressEvent(jobId, wallNow())),
        ),
      );
    const baselineEvents = (await busy(baselineMs)) * 20;
    const baselinePeak = peak;
    peak = 0;
    trace.length = 0;
    stalled.proc.kill('SIGSTOP');
    let seed: number[] = [];
    let events = 0;
    try {
      const writes = busy(stallMs);
      seed = await seedPolling(200, 20, 500);
      events = (await writes) * 20;
    } finally {
      stalled.proc.kill('SIGCONT');
      clearInterval(sampler);
    }
    await Bun.sleep(1000);
    const status = await stalled.request<{ closed: { code: number; reason: string }[]; received: number[] }>('status');
    const reader = await rig.viewers[0].request<{ counted: number }>('collect');
    await rig.viewers[0].request('closeAll');
    return {
      baselinePeakKb: baselinePeak,
      peakKb: peak,
      stalledClosed: status.closed[0],
      stalledGot: status.received[0] ?? 0,
      readerGot: reader.counted,
      events: baselineEvents + events,
      stallEvents: events,
      seed,
      /** The running peak every 5 s of the stall, MB. */
      trace: trace.filter((_, i) => i % 50 === 49).map((kb) => Math.round(kb / 1024)),
    };
  } finally {
    clearInterval(sampler);
    await stalled.stop();
  }
}

export async function headwayLatency(rig: ViewerRig, jobs: string[], viewers: number, rate: number, warmupMs: number, measureMs: number) {
  await connect(rig, jobs, viewers, apiSocket);
  return viewerLatency(rig, warmupMs, measureMs, (ms) => emitEvents(rig.stream, jobs, rate, ms));
}
