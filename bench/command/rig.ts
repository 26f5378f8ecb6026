// One in-process BullMQ Worker running apps/worker's own processor (createProcessor) over the
// benchmark's catalog, on a Redis of the benchmark's own: runs a job and times it, checks that its
// stream holds every event, and follows a stream as a viewer would (XREAD BLOCK on its own connection).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelRequests,
  createRedis,
  decodeEntry,
  EventStream,
  HistoryStore,
  type JobData,
  type JobEvent,
  LocalArtifactStore,
  type PipelineCatalog,
  type RawEntry,
  redisKeys,
} from '@headway/progress';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createProcessor, HISTORY_REUSE_MS } from '../../apps/worker/src/run-job.ts';
import type { Cleanup } from '../cleanup.ts';
import { wallNow } from '../relay/shared.ts';
import { childrenCpuMs } from './pipe.ts';

export interface JobRun {
  jobId: string;
  /** From the processor's start to its end (its last events flushed to Redis). */
  seconds: number;
  /** CPU over the run, in ms: of this process (the worker), of the job's program, of redis-server. */
  workerCpuMs: number;
  programCpuMs: number;
  redisCpuMs: number;
}

export class Rig {
  readonly #keys;
  readonly #client: Redis;
  readonly #queue: Queue;
  readonly #worker: Worker<JobData>;
  readonly #stream: EventStream;
  readonly #times = new Map<string, { start: number; end: number }>();
  readonly #waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  #next = 0;

  constructor(
    readonly url: string,
    prefix: string,
    catalog: PipelineCatalog,
    cleanup: Cleanup,
  ) {
    this.#keys = redisKeys(prefix);
    this.#client = createRedis(url, 'blocking');
    cleanup.push(() => this.#client.disconnect());
    this.#stream = new EventStream(this.#client, this.#keys, { maxLen: 1_000_000 });
    const dataDir = mkdtempSync(join(tmpdir(), 'hw-bench-command-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const processor = createProcessor({
      pipelines: catalog,
      stream: this.#stream,
      history: new HistoryStore(this.#client, this.#keys, { maxAgeMs: HISTORY_REUSE_MS }),
      cancels: new CancelRequests(this.#client, this.#keys),
      dataDir,
      retentionSeconds: 3600,
      artifacts: { store: new LocalArtifactStore(join(dataDir, 'artifacts')), maxBytes: 100 * 1024 * 1024, maxCount: 200 },
    });
    const queueConnection = createRedis(url, 'blocking');
    cleanup.push(() => queueConnection.disconnect());
    this.#queue = new Queue(this.#keys.queueName, { connection: queueConnection, prefix });
    cleanup.push(() => this.#queue.close());
    const workerConnection = createRedis(url, 'blocking');
    cleanup.push(() => workerConnection.disconnect());
    this.#worker = new Worker<JobData>(
      this.#keys.queueName,
      async (job: Job<JobData>, token?: string, signal?: AbortSignal) => {
        const start = performance.now();
        try {
          return await processor(job, token, signal);
        } finally {
          this.#times.set(job.id!, { start, end: performance.now() });
        }
      },
      { connection: workerConnection, prefix, concurrency: 1 },
    );
    cleanup.push(() => this.#worker.close(true));
    this.#worker.on('error', () => {});
    this.#worker.on('completed', (job) => this.#settle(job.id!));
    this.#worker.on('failed', (job, error) => job && this.#settle(job.id!, error));
  }

  ready(): Promise<unknown> {
    return this.#worker.waitUntilReady();
  }

  /** A fresh job id of `pipeline`, to follow before the job is added. */
  jobId(pipeline: string): string {
    return `${pipeline}-${++this.#next}`;
  }

  /** Adds the job, waits until the worker has completed it; fails if it failed. */
  async run(pipeline: string, input: { lines: number; rate?: number }, jobId = this.jobId(pipeline)): Promise<JobRun> {
    const done = new Promise<void>((resolve, reject) => this.#waiting.set(jobId, { resolve, reject }));
    const redisBefore = await this.#redisCpuMs();
    const cpuBefore = process.cpuUsage();
    const programBefore = childrenCpuMs();
    await this.#queue.add(pipeline, { input }, { jobId, attempts: 1 });
    await done;
    const cpu = process.cpuUsage(cpuBefore);
    const { start, end } = this.#times.get(jobId)!;
    return {
      jobId,
      seconds: (end - start) / 1000,
      workerCpuMs: (cpu.user + cpu.system) / 1000,
      programCpuMs: childrenCpuMs() - programBefore,
      redisCpuMs: (await this.#redisCpuMs()) - redisBefore,
    };
  }

  /**
   * Throws unless the job's stream holds exactly `lines` running progress events and nothing was
   * lost or trimmed: its length equals its last seq, and no line became a warning. Returns when
   * Redis wrote each of those events (ms, from their entry ids).
   */
  async verify(jobId: string, lines: number): Promise<number[]> {
    const [length, seq] = await Promise.all([this.#client.xlen(this.#keys.events(jobId)), this.#client.get(this.#keys.seq(jobId))]);
    const written: number[] = [];
    const warnings: string[] = [];
    for (let after = '0'; ; ) {
      const page = await this.#stream.range(jobId, after, 10_000);
      if (page.length === 0) break;
      after = page.at(-1)!.id;
      for (const { id, event } of page) {
        if (event.kind === 'progress' && event.phase === 'running') written.push(Number(id.split('-')[0]));
        if (event.kind === 'log' && event.level !== 'info') warnings.push(event.message);
      }
    }
    const problems = [
      written.length !== lines && `${written.length} of ${lines} progress events in its stream`,
      String(length) !== seq && `stream length ${length} but last seq ${seq}`,
      warnings.length > 0 && `${warnings.length} warnings, the first: ${warnings[0]}`,
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`job ${jobId}: ${problems.join('; ')}`);
    return written;
  }

  /**
   * Follows the job's stream from its start on a connection of its own until the job ends; for
   * each event carrying metadata.t, arrival (wall clock) minus t, in ms.
   */
  follow(jobId: string): { samples: Promise<number[]>; stop: () => void } {
    const reader = createRedis(this.url, 'blocking');
    const key = this.#keys.events(jobId);
    let running = true;
    const samples = (async () => {
      const out: number[] = [];
      try {
        for (let cursor = '0-0'; running; ) {
          const reply = (await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', key, cursor)) as [string, RawEntry[]][] | null;
          const at = wallNow();
          for (const raw of reply?.[0]?.[1] ?? []) {
            const { id, event } = decodeEntry(raw);
            cursor = id;
            const t = emitTime(event);
            if (t !== undefined) out.push(at - t);
            if (event.kind === 'status' && (event.status === 'completed' || event.status === 'failed')) running = false;
          }
        }
        return out;
      } finally {
        reader.disconnect();
      }
    })();
    return { samples, stop: () => (running = false) };
  }

  async #redisCpuMs(): Promise<number> {
    const info = await this.#client.info('cpu');
    const field = (name: string) => Number(info.match(new RegExp(`^${name}:([\\d.]+)`, 'm'))?.[1] ?? 0);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
  }

  #settle(jobId: string, error?: Error): void {
    const waiter = this.#waiting.get(jobId);
    this.#waiting.delete(jobId);
    if (error) waiter?.reject(new Error(`job ${jobId} failed: ${error.message}`));
    else waiter?.resolve();
  }
}

function emitTime(event: JobEvent): number | undefined {
  const t = event.kind === 'progress' ? event.metadata?.t : undefined;
  return typeof t === 'number' ? t : undefined;
}
