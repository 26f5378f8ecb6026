// Artifacts expire with their job: a store keeps files until told otherwise, so an API removes
// those of jobs BullMQ has removed (and whose artifact index has expired) or that finished more
// than ARTIFACT_RETENTION_SECONDS ago. Every API runs this timer; a Redis lock (SET NX EX, held
// for the whole interval) lets one of them sweep per interval.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@headway/progress';
import { type ArtifactStore, artifactPrefix, isJobId, LocalArtifactStore, type RedisKeys, serverLog } from '@headway/progress';
import type { Queue } from 'bullmq';

/** A partial file this old belongs to a writer that died: no upload takes an hour. */
const PARTIAL_MAX_AGE_MS = 3600_000;

export interface ArtifactSweepOptions {
  store: ArtifactStore;
  redis: RedisClient;
  queue: Queue;
  keys: RedisKeys;
  retentionSeconds: number;
  intervalSeconds: number;
}

export class ArtifactSweep {
  #timer?: ReturnType<typeof setInterval>;
  #first?: ReturnType<typeof setTimeout>;
  #running?: Promise<unknown>;

  constructor(private readonly options: ArtifactSweepOptions) {}

  /** Sweeps every interval (the first a second from now); a second call changes nothing. */
  start(): void {
    if (this.#timer) return;
    const tick = () => {
      if (this.#running) return;
      this.#running = this.sweepIfFirst()
        .catch((error) => serverLog.warn('api', `artifact sweep failed: ${(error as Error).message}`))
        .finally(() => (this.#running = undefined));
    };
    this.#timer = setInterval(tick, this.options.intervalSeconds * 1000);
    this.#timer.unref?.();
    this.#first = setTimeout(tick, 1000);
    this.#first.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#first);
    await this.#running;
  }

  /** Sweeps unless another API (or this one) has swept within the interval; the job ids removed. */
  async sweepIfFirst(): Promise<string[] | undefined> {
    const { redis, keys, intervalSeconds } = this.options;
    const taken = await redis.set(keys.artifactSweepLock, randomUUID(), 'EX', intervalSeconds, 'NX');
    return taken === 'OK' ? this.sweep() : undefined;
  }

  /** Removes the artifacts of every job that is gone or past retention; returns their ids. */
  async sweep(now = Date.now()): Promise<string[]> {
    const { store, redis, queue, keys, retentionSeconds } = this.options;
    const removed: string[] = [];
    for (const jobId of await store.jobIds()) {
      if (!isJobId(jobId)) continue;
      const replies = await redis
        .multi()
        .hget(queue.toKey(jobId), 'finishedOn')
        .exists(queue.toKey(jobId))
        .exists(keys.artifacts(jobId))
        .exec();
      const [finishedOn, jobExists, indexed] = (replies ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      const gone = !jobExists && !indexed;
      const expired = Boolean(finishedOn) && now - Number(finishedOn) > retentionSeconds * 1000;
      if (!gone && !expired) continue;
      await store.deletePrefix(artifactPrefix(jobId));
      removed.push(jobId);
    }
    if (store instanceof LocalArtifactStore) await store.sweepPartials(PARTIAL_MAX_AGE_MS);
    if (removed.length > 0) serverLog.info('api', `removed the artifacts of ${removed.length} expired job(s)`);
    return removed;
  }
}
