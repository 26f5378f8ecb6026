// Where a job's end becomes webhook deliveries: one BullMQ job in the webhooks queue per webhook
// that wants it. Its id is made of the webhook, the event, the attempt and the job, so two
// processes reporting the same end (or one reporting it twice) add one delivery, and a delivery
// waiting for its next attempt survives any restart. The API runs them (webhook-deliveries.ts).
import { Queue } from 'bullmq';

import type { WebhookEventType } from '../model/webhook-messages.ts';
import { type Webhook, webhooksFor } from '../pipelines/webhook-config.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';

/** A job's end (or stall), as the process that saw it reports it. */
export interface JobEnd {
  jobId: string;
  pipeline: string;
  type: WebhookEventType;
  /** The attempt that ended: a job retried by hand ends again, and is sent again. */
  attempt: number;
  /** When it ended; default now. */
  at?: string;
}

/** A delivery's data in Redis: the webhook by id (never its secret), and the body once built. */
export interface WebhookDeliveryData extends Required<JobEnd> {
  hook: string;
  /** Built on the first attempt and sent as is on every retry. */
  body?: string;
}

/** Deliveries kept for the log: delivered ones a week, given-up ones a month (and at most this many). */
const KEEP_DELIVERED = { age: 7 * 24 * 3600, count: 1000 };
const KEEP_FAILED = { age: 30 * 24 * 3600, count: 1000 };

export function webhookDeliveryId(hookId: string, type: WebhookEventType, attempt: number, jobId: string): string {
  // No ':' (BullMQ refuses it in an id); the job id last, as it may hold dots itself.
  return `${hookId}.${type.slice('job.'.length)}.${attempt}.${jobId}`;
}

export class WebhookOutbox {
  /** Undefined when no webhook is configured: nothing is written. */
  readonly queue?: Queue<WebhookDeliveryData>;
  /** Adds in flight, awaited by close() so an end seen during a shutdown is not dropped. */
  readonly #adding = new Set<Promise<unknown>>();

  constructor(
    connection: RedisClient,
    keys: RedisKeys,
    readonly hooks: readonly Webhook[],
    private readonly retry: { attempts: number; backoffMs: number },
  ) {
    if (hooks.length === 0) return;
    this.queue = new Queue(keys.webhookQueueName, { connection, prefix: keys.queuePrefix });
    // The connection's owner reports outages; a failed add rejects announce().
    this.queue.on('error', () => {});
  }

  /** Adds a delivery of the end to each webhook that wants it; resolves to how many are due. */
  async announce(end: JobEnd): Promise<number> {
    const hooks = webhooksFor(this.hooks, end.pipeline, end.type);
    if (!this.queue || hooks.length === 0) return 0;
    const at = end.at ?? new Date().toISOString();
    const adding = this.queue.addBulk(
      hooks.map((hook) => ({
        name: end.type,
        data: { ...end, at, hook: hook.id },
        opts: {
          jobId: webhookDeliveryId(hook.id, end.type, end.attempt, end.jobId),
          attempts: this.retry.attempts,
          backoff: { type: 'exponential', delay: this.retry.backoffMs },
          removeOnComplete: KEEP_DELIVERED,
          removeOnFail: KEEP_FAILED,
        },
      })),
    );
    this.#adding.add(adding);
    try {
      await adding;
    } finally {
      this.#adding.delete(adding);
    }
    return hooks.length;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#adding);
    await this.queue?.close();
  }
}
