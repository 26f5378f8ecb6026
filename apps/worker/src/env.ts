// The worker's configuration, read once from the environment.
import { join } from 'node:path';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
};

export const env = {
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  queuePrefix: process.env.QUEUE_PREFIX || 'hw',
  concurrency: num('WORKER_CONCURRENCY', 2),
  eventStreamMaxLen: num('EVENT_STREAM_MAXLEN', 100_000),
  eventRetentionSeconds: num('EVENT_RETENTION_SECONDS', 7 * 24 * 3600),
  dataDir: process.env.DATA_DIR || join(process.cwd(), '.data'),
  /** BullMQ lock; a crashed worker's job is retried after about this long. */
  lockDurationMs: num('WORKER_LOCK_DURATION_MS', 30_000),
  stalledIntervalMs: num('WORKER_STALLED_INTERVAL_MS', 30_000),
  /** How long a shutdown waits for running jobs before cancelling them. */
  shutdownGraceMs: num('WORKER_SHUTDOWN_GRACE_MS', 10_000),
};
export type WorkerEnv = typeof env;
