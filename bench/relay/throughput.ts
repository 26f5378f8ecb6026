// Worker throughput: the same no-op jobs through an in-process BullMQ Worker three ways: Headway's
// own processor (apps/worker's createProcessor: tracker, EventSink, stream, history), bare BullMQ
// with 20 `job.updateProgress` calls, and bare BullMQ doing nothing, each after an unmeasured
// warm-up. Round trips to Redis are counted client-side per command, so a gap can be explained.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelRequests,
  createRedis,
  definePipeline,
  EventStream,
  HistoryStore,
  type JobData,
  LocalArtifactStore,
  PipelineCatalog,
  type PipelineDefinition,
  redisKeys,
} from '@headway/progress';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createProcessor, HISTORY_REUSE_MS } from '../../apps/worker/src/run-job.ts';

export const EVENTS_PER_JOB = 20;
/** Jobs each way runs before it is measured. */
const WARM_UP_JOBS = 500;

/** A job that reports EVENTS_PER_JOB progress events and does nothing else; `spaced` yields between them. */
function noopPipeline(name: string, spaced: boolean) {
  return definePipeline({
    name,
    stages: [{ name: 'work', weight: 1 }],
    async run({ progress }) {
      for (let i = 1; i <= EVENTS_PER_JOB; i++) {
        progress.emit('work', 'running', `step ${i} of ${EVENTS_PER_JOB}`, { stageProgress: i / EVENTS_PER_JOB });
        if (spaced) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  }) as unknown as PipelineDefinition;
}

type Processor = (job: Job<JobData>, token?: string, signal?: AbortSignal) => Promise<unknown>;

export interface ThroughputResult {
  jobsPerS: number;
  /** Commands sent per job; a pipeline or MULTI counts once. */
  tripsPerJob: number;
  /** Commands per job by name (a pipeline or MULTI named by its commands). */
  byCommand: [string, number][];
  /** CPU milliseconds per job in this (the worker's) process, and in redis-server. */
  workerCpuMs: number;
  redisCpuMs: number;
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(info.match(new RegExp(`^${name}:([\\d.]+)`, 'm'))?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/** Counts every ioredis round trip in this process until `stop`. */
function countRoundTrips() {
  type Send = (this: Redis, command: { name: string; args: unknown[] }, stream?: { isPipeline?: boolean }) => unknown;
  const proto = Redis.prototype as unknown as { sendCommand: Send };
  const original = proto.sendCommand;
  const counts = new Map<string, number>();
  const pipelines = new Map<object, string[]>();
  const scriptNames = new Map<string, string>();
  const nameOf = (redis: Redis, command: { name: string; args: unknown[] }) => {
    if (command.name !== 'evalsha') return command.name;
    const sha = String(command.args[0]);
    if (!scriptNames.has(sha)) {
      const scripts = (redis as unknown as { scriptsSet: Record<string, { sha: string }> }).scriptsSet ?? {};
      const found = Object.entries(scripts).find(([, s]) => s.sha === sha)?.[0] ?? 'evalsha';
      scriptNames.set(sha, `${found.replace(/(-\d+|:[\d.]+)$/, '')}()`);
    }
    return scriptNames.get(sha)!;
  };
  proto.sendCommand = function (command, stream) {
    const name = nameOf(this, command);
    if (stream?.isPipeline) {
      const names = pipelines.get(stream) ?? [];
      if (names.length === 0) pipelines.set(stream, names);
      names.push(name);
    } else {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return original.apply(this, [command, stream] as never);
  } as Send;
  return () => {
    proto.sendCommand = original;
    for (const names of pipelines.values()) {
      const key = `[${names.filter((n) => n !== 'multi' && n !== 'exec').join(' ')}]`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
}

async function runJobs(
  url: string,
  prefix: string,
  queueName: string,
  pipeline: string,
  jobs: number,
  concurrency: number,
  processor: Processor,
): Promise<ThroughputResult> {
  const queueConnection = createRedis(url, 'blocking');
  const queue = new Queue(queueName, { connection: queueConnection, prefix });
  const opts = { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } };
  for (let i = 0; i < jobs; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, jobs - i) }, () => ({ name: pipeline, data: { input: {} }, opts })));
  }
  const workerConnection = createRedis(url, 'blocking');
  const worker = new Worker(queueName, processor, { connection: workerConnection, prefix, concurrency, autorun: false });
  worker.on('error', () => {});
  try {
    await worker.waitUntilReady();
    let done = 0;
    const finished = new Promise<void>((resolve, reject) => {
      worker.on('completed', () => ++done === jobs && resolve());
      worker.on('failed', (job, error) => reject(new Error(`job ${job?.id} failed: ${error.message}`)));
    });
    const redisCpuBefore = await redisCpuMs(queueConnection);
    const cpuBefore = process.cpuUsage();
    const stop = countRoundTrips();
    const start = performance.now();
    void worker.run().catch(() => undefined);
    let counts: Map<string, number>;
    try {
      await finished;
    } finally {
      counts = stop();
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const redisCpu = (await redisCpuMs(queueConnection)) - redisCpuBefore;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return {
      jobsPerS: jobs / seconds,
      tripsPerJob: total / jobs,
      byCommand: [...counts].map(([k, v]): [string, number] => [k, v / jobs]).sort((a, b) => b[1] - a[1]),
      workerCpuMs: (cpu.user + cpu.system) / 1000 / jobs,
      redisCpuMs: redisCpu / jobs,
    };
  } finally {
    await worker.close(true).catch(() => undefined);
    await queue.close().catch(() => undefined);
    workerConnection.disconnect();
    queueConnection.disconnect();
  }
}

/** Headway, bare BullMQ with progress, bare BullMQ; then Headway with one event per tick, for the profile only. */
export async function workerThroughput(url: string, { jobs = 2000, concurrency = 10 } = {}) {
  const prefix = 'tp';
  const keys = redisKeys(prefix);
  const streamConnection = createRedis(url, 'blocking');
  const dataDir = mkdtempSync(join(tmpdir(), 'hw-bench-data-'));
  const headwayProcessor = (pipeline: PipelineDefinition) =>
    createProcessor({
      pipelines: new PipelineCatalog('bench', [pipeline]),
      stream: new EventStream(streamConnection, keys, { maxLen: 100_000 }),
      history: new HistoryStore(streamConnection, keys, { maxAgeMs: HISTORY_REUSE_MS }),
      cancels: new CancelRequests(streamConnection, keys),
      dataDir,
      retentionSeconds: 3600,
      artifacts: { store: new LocalArtifactStore(join(dataDir, 'artifacts')), maxBytes: 100 * 1024 * 1024, maxCount: 200 },
    }) as Processor;
  const bullmqProgress: Processor = async (job) => {
    for (let i = 1; i <= EVENTS_PER_JOB; i++) await job.updateProgress({ percentage: (100 * i) / EVENTS_PER_JOB, message: `step ${i}` });
  };
  const bullmqBare: Processor = async () => undefined;
  const headway = headwayProcessor(noopPipeline('bench-noop', false));
  try {
    // Each way runs once unmeasured first: whichever ran first would otherwise also pay for
    // compiling the code they share (ioredis, BullMQ's worker), which a long-running worker pays once.
    for (const [name, processor] of [
      ['headway', headway],
      ['progress', bullmqProgress],
      ['bare', bullmqBare],
    ] as const) {
      await runJobs(url, prefix, `warm-${name}`, 'bench-noop', WARM_UP_JOBS, concurrency, processor);
    }
    const results = {
      headway: await runJobs(url, prefix, 'headway', 'bench-noop', jobs, concurrency, headway),
      bullmqProgress: await runJobs(url, prefix, 'progress', 'bench-noop', jobs, concurrency, bullmqProgress),
      bullmqBare: await runJobs(url, prefix, 'bare', 'bench-noop', jobs, concurrency, bullmqBare),
    };
    const spaced = await runJobs(
      url,
      prefix,
      'spaced',
      'bench-noop-spaced',
      Math.round(jobs / 4),
      concurrency,
      headwayProcessor(noopPipeline('bench-noop-spaced', true)),
    );
    return { ...results, spaced };
  } finally {
    streamConnection.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
