// Cancelling a job that may run in any worker process. BullMQ's `worker.cancelJob` only reaches
// jobs of its own process, so a request is recorded in a per-job key (checked by the worker that
// starts the job, so a request made just before it became active is not lost) and published on
// the control channel (for the worker running it). A cancelled job ends `failed` in BullMQ terms,
// with a reason from cancelled-reason.ts.
import { readFileSync } from 'node:fs';
import { type Static, Type as t } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MAX_MESSAGE_LENGTH } from '../model/events.ts';
import { JOB_ID_PATTERN } from '../model/job-id.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

const takeWaitingScript = readFileSync(new URL('./scripts/take-waiting-job-5.lua', import.meta.url), 'utf8');

/**
 * How long a request waits for a worker to honour it: long enough for a job whose worker died
 * to be found stalled and started again elsewhere, where the request is checked at start.
 */
export const CANCEL_REQUEST_TTL_SECONDS = 24 * 3600;

/** What API processes publish on the control channel; every worker process reads it. */
export const ControlMessage = t.Object({
  type: t.Literal('cancel'),
  jobId: t.String({ pattern: JOB_ID_PATTERN }),
  reason: t.String({ maxLength: MAX_MESSAGE_LENGTH }),
});
export type ControlMessage = Static<typeof ControlMessage>;

/** A control message from its JSON, or undefined for anything else. */
export function parseControlMessage(raw: string): ControlMessage | undefined {
  try {
    const message: unknown = JSON.parse(raw);
    return Value.Check(ControlMessage, message) ? message : undefined;
  } catch {
    return undefined;
  }
}

/** BullMQ's lists of a queue that a waiting job can be in, and its active list (`queue.keys`). */
export interface WaitingKeys {
  wait: string;
  paused: string;
  prioritized: string;
  delayed: string;
  active: string;
}

type WithTake = RedisClient & { hwTakeWaitingJob(...args: string[]): Promise<number> };

export class CancelRequests {
  readonly #redis: WithTake;

  constructor(
    redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    if (!('hwTakeWaitingJob' in redis)) redis.defineCommand('hwTakeWaitingJob', { numberOfKeys: 5, lua: takeWaitingScript });
    this.#redis = redis as WithTake;
  }

  /** Records that the job is to be cancelled, for the worker that starts it next. */
  async record(jobId: string, reason: string): Promise<void> {
    await this.#redis.set(this.keys.cancelRequest(jobId), reason, 'EX', CANCEL_REQUEST_TTL_SECONDS);
  }

  /** Tells every worker process; the one running the job aborts it. Record first: this is fire-and-forget. */
  async publish(jobId: string, reason: string): Promise<void> {
    const message: ControlMessage = { type: 'cancel', jobId, reason };
    await this.#redis.publish(this.keys.control, JSON.stringify(message));
  }

  /** The reason of a recorded request, or undefined when there is none. */
  async pending(jobId: string): Promise<string | undefined> {
    return (await this.#redis.get(this.keys.cancelRequest(jobId))) ?? undefined;
  }

  /** Forgets the request: honoured, or the job is being retried. */
  async clear(jobId: string): Promise<void> {
    await this.#redis.del(this.keys.cancelRequest(jobId));
  }

  /**
   * Takes the job out of BullMQ's waiting lists into its active list, unlocked, so that
   * `job.moveToFailed(error, '0')` can end it; false when it is not waiting (any more).
   */
  async takeWaiting(queue: WaitingKeys, jobId: string): Promise<boolean> {
    const { wait, paused, prioritized, delayed, active } = queue;
    return (await this.#redis.hwTakeWaitingJob(wait, paused, prioritized, delayed, active, jobId)) === 1;
  }
}
