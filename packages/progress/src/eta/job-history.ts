// What a finished job teaches the estimator: its size, total time and each stage's time, kept
// per pipeline in Redis so every worker shares it and it survives restarts.
import type { RedisClient } from '../redis/redis-connection.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import type { EtaError } from './eta-error.ts';

export interface StageRecord {
  name: string;
  /** Wall time from the stage's start to its end; 0 for a skipped stage. */
  seconds: number;
  /** Iterations a looping stage ran. */
  iterations?: number;
  /** Seconds of each of those iterations, so the estimator learns how each compares to the last. */
  iterationSeconds?: number[];
}

export interface JobRecord {
  pipeline: string;
  /** The job's size where the pipeline states one (e.g. papers in the corpus). */
  size?: number;
  seconds: number;
  /** The job, and when it ended, for the pipeline page's charts and its compare view. */
  jobId?: string;
  finishedAt?: string;
  /** How far off its ETA was at 25 % and 50 % of its time (eta-error.ts). */
  etaError?: EtaError;
  stages: StageRecord[];
  /**
   * How far off this job's ETAs were, measured in the model's own spread (80th percentile of
   * |ln(true / estimate)| ÷ spread ÷ z80): 1 means the bands were right, 2 means twice too narrow.
   */
  calibration?: number;
  /** The same errors' 5th, 15th, …, 95th percentiles (in spreads), which the band's calibration pools. */
  errorDeciles?: number[];
}

/** Records kept per pipeline: enough for quantiles and a regime change, small enough to read per job. */
export const HISTORY_LENGTH = 200;

export class HistoryStore {
  readonly #cache = new Map<string, { at: number; count: number; records: Promise<JobRecord[]> }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /**
     * How long a load may be reused: a worker starting many short jobs reads the history (and
     * builds its estimator) once per this, not once per job. Records made meanwhile, by this
     * process or another, are seen at the next load.
     */
    private readonly options: { maxAgeMs?: number } = {},
  ) {}

  /** Adds a finished job; LPUSH and LTRIM in one transaction, so concurrent writers lose nothing. */
  async record(record: JobRecord): Promise<void> {
    const key = this.keys.history(record.pipeline);
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(record))
      .ltrim(key, 0, HISTORY_LENGTH - 1)
      .exec();
  }

  /** Newest first. Unreadable entries are skipped rather than failing a job. */
  load(pipeline: string, count = HISTORY_LENGTH): Promise<JobRecord[]> {
    const maxAgeMs = this.options.maxAgeMs ?? 0;
    const cached = this.#cache.get(pipeline);
    if (cached && cached.count === count && Date.now() - cached.at < maxAgeMs) return cached.records;
    const records = this.#read(pipeline, count);
    if (maxAgeMs > 0) {
      this.#cache.set(pipeline, { at: Date.now(), count, records });
      records.catch(() => this.#cache.delete(pipeline));
    }
    return records;
  }

  async #read(pipeline: string, count: number): Promise<JobRecord[]> {
    const raw = await this.redis.lrange(this.keys.history(pipeline), 0, count - 1);
    return raw.flatMap((entry) => {
      try {
        const record = JSON.parse(entry) as JobRecord;
        return Number.isFinite(record.seconds) && Array.isArray(record.stages) ? [record] : [];
      } catch {
        return [];
      }
    });
  }
}
