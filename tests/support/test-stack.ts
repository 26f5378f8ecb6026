// One test file's Headway, as `npm start` runs it: a private Redis, the API and workers as real
// processes on one key prefix, and a temporary folder holding DATA_DIR. `stop()` ends them all
// (workers, then APIs, then Redis) and removes the folder, so nothing outlives the file.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProcessHandle, startApi, startWorker } from './processes.ts';
import { type RedisHandle, type RedisOptions, startRedis } from './redis-server.ts';

export type ApiProcess = ProcessHandle & { url: string };
type Env = Record<string, string>;

export interface StackOptions {
  /** QUEUE_PREFIX: the file's own keys. Also names the temporary folder. */
  prefix: string;
  /** Variables for every process beside REDIS_URL, QUEUE_PREFIX and DATA_DIR (HEADWAY_CONFIG, ARTIFACT_STORE…). */
  env?: Env;
  /** The API's own variables (API_TOKEN, a fixed PORT…), or `false` to start none. By default one API. */
  api?: Env | false;
  /** How many workers to start with the stack (default none); `addWorker` starts more later. */
  workers?: number;
  /** The workers' own variables (WORKER_CONCURRENCY…), for these and for those `addWorker` starts. */
  worker?: Env;
  /** Where DATA_DIR sits inside the temporary folder (default `data`). */
  dataDir?: string;
  redis?: RedisOptions;
}

export class TestStack {
  /** Every API and worker started through the stack, stopped by `stop()`. */
  readonly apis: ApiProcess[] = [];
  readonly workers: ProcessHandle[] = [];

  constructor(
    /** A test that restarts Redis puts the new server here, so that `stop()` ends that one. */
    public redis: RedisHandle,
    readonly prefix: string,
    /** The temporary folder, removed by `stop()`; DATA_DIR is inside it. */
    readonly dir: string,
    readonly dataDir: string,
    /** What every process of the stack is started with: REDIS_URL, QUEUE_PREFIX, DATA_DIR and `env`. */
    readonly env: Env,
    private readonly apiEnv: Env,
    private readonly workerEnv: Env,
  ) {}

  /** The first API started; a test that restarts it keeps the new handle itself. */
  get api(): ApiProcess {
    if (!this.apis[0]) throw new Error('this stack started no API');
    return this.apis[0];
  }

  /** The first worker started. */
  get worker(): ProcessHandle {
    if (!this.workers[0]) throw new Error('this stack started no worker');
    return this.workers[0];
  }

  /** Starts an API (another, or one again after a test stopped it) with the stack's variables and `extra`. */
  async startApi(extra: Env = {}): Promise<ApiProcess> {
    const api = await startApi({ ...this.env, ...this.apiEnv, ...extra });
    this.apis.push(api);
    return api;
  }

  /** Starts a worker with the stack's variables, the workers' own and `extra`. */
  async addWorker(extra: Env = {}): Promise<ProcessHandle> {
    const worker = await startWorker({ ...this.env, ...this.workerEnv, ...extra });
    this.workers.push(worker);
    return worker;
  }

  /**
   * Workers first (they write to Redis until they stop), then APIs, then Redis; then the folder.
   * A process a test has already stopped or killed is skipped. `signal` is what the processes
   * are sent (SIGTERM, a clean shutdown, by default).
   */
  async stop(signal?: NodeJS.Signals): Promise<void> {
    try {
      await Promise.all(this.workers.map((w) => w.stop(signal)));
      await Promise.all(this.apis.map((a) => a.stop(signal)));
      await this.redis.stop();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** Starts Redis, then the API and the workers side by side; if any fails to start, stops what did and throws. */
export async function startStack(options: StackOptions): Promise<TestStack> {
  const { prefix, api = {}, workers = 0 } = options;
  const dir = mkdtempSync(join(tmpdir(), `hw-${prefix}-`));
  const dataDir = join(dir, options.dataDir ?? 'data');
  mkdirSync(dataDir, { recursive: true });
  let redis: RedisHandle;
  try {
    redis = await startRedis(options.redis);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const env = { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DATA_DIR: dataDir, ...options.env };
  const stack = new TestStack(redis, prefix, dir, dataDir, env, api || {}, options.worker ?? {});
  const started = await Promise.allSettled([
    ...(api ? [stack.startApi()] : []),
    ...Array.from({ length: workers }, () => stack.addWorker()),
  ]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stack.stop();
    throw failed.reason;
  }
  return stack;
}
