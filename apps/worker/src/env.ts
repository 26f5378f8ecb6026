// The worker's configuration, read once from the environment.
import { integerSetting, sharedSettings } from '@headway/progress';

export const env = {
  ...sharedSettings(),
  concurrency: integerSetting('WORKER_CONCURRENCY', 2, { min: 1 }),
  /** BullMQ lock; a crashed worker's job is retried after about this long. */
  lockDurationMs: integerSetting('WORKER_LOCK_DURATION_MS', 30_000),
  stalledIntervalMs: integerSetting('WORKER_STALLED_INTERVAL_MS', 30_000),
  /** How long a shutdown waits for running jobs before cancelling them. */
  shutdownGraceMs: integerSetting('WORKER_SHUTDOWN_GRACE_MS', 10_000),
};
export type WorkerEnv = typeof env;
