// Runs webhook deliveries (queued by webhook-outbox.ts when jobs end) from this API process: a
// BullMQ worker on the webhooks queue, so retries with exponential backoff wait in Redis and any
// API, started again or another one, carries on. Also reads them back for the delivery log.
import {
  createRedis,
  type JobData,
  type RedisClient,
  type RedisKeys,
  type RedisTarget,
  serverLog,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryData,
  type WebhookOutbox,
  type WebhookPayload,
  webhookSignature,
  webhookText,
} from '@headway/progress';
import { Job, type Queue, UnrecoverableError, Worker } from 'bullmq';

import { toJobSummary } from './job-summary.ts';

/** What a receiver's answer may add to an error: its first bytes. */
const ANSWER_BYTES = 512;
/** The longest error kept per delivery. */
const ERROR_CHARS = 600;
/** Deliveries run at once by one API. */
const CONCURRENCY = 8;

/** What the last attempt saw, kept as the delivery's BullMQ progress. */
interface AttemptRecord {
  status?: number;
  error?: string;
  at: string;
}

export interface WebhookDeliveriesDeps {
  outbox: WebhookOutbox;
  /** The jobs' queue, read for the payload's summary. */
  jobs: Queue;
  keys: RedisKeys;
  redis: RedisTarget;
  timeoutMs: number;
}

export class WebhookDeliveries {
  readonly #hooks: ReadonlyMap<string, Webhook>;
  #worker?: Worker<WebhookDeliveryData>;
  #connection?: RedisClient;
  /** Where job links point (PUBLIC_URL), known once the API listens. */
  #publicUrl = '';

  constructor(private readonly deps: WebhookDeliveriesDeps) {
    this.#hooks = new Map(deps.outbox.hooks.map((hook) => [hook.id, hook]));
  }

  start(publicUrl: string): void {
    this.#publicUrl = publicUrl.replace(/\/+$/, '');
    if (this.#hooks.size === 0 || this.#worker) return;
    const { keys, redis } = this.deps;
    this.#connection = createRedis(redis, 'blocking');
    this.#worker = new Worker(keys.webhookQueueName, (job) => this.#deliver(job), {
      connection: this.#connection,
      prefix: keys.queuePrefix,
      concurrency: CONCURRENCY,
    });
    this.#worker.on('error', () => {});
    this.#worker.on('failed', (job, error) => {
      if (job?.finishedOn)
        serverLog.error('webhooks', `gave up delivery ${job.id} after ${job.attemptsStarted} attempts: ${error.message}`);
    });
    serverLog.info('webhooks', `delivering to ${this.#hooks.size} webhook(s)`);
  }

  async stop(): Promise<void> {
    // An attempt cut short here is retried by the next API once its lock lapses (30 s).
    await this.#worker?.close(true);
    this.#connection?.disconnect();
  }

  /** The newest deliveries, newest first. */
  async list(limit: number): Promise<WebhookDelivery[]> {
    const queue = this.deps.outbox.queue;
    if (!queue) return [];
    const states = ['active', 'waiting', 'delayed', 'completed', 'failed'] as const;
    const found = await Promise.all(states.map((state) => queue.getJobs([state], 0, limit - 1)));
    const rows = states.flatMap((state, i) => found[i]!.filter(Boolean).map((job) => this.#describe(job, state)));
    return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).slice(0, limit);
  }

  async #deliver(job: Job<WebhookDeliveryData>): Promise<{ status: number }> {
    const hook = this.#hooks.get(job.data.hook);
    if (!hook) throw new UnrecoverableError(`No webhook with id ${job.data.hook} is configured any more`);
    let body = job.data.body;
    if (body === undefined) {
      body = await this.#body(hook, job);
      await job.updateData({ ...job.data, body });
    }
    const at = new Date();
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Headway-Webhooks',
      'x-headway-event': job.data.type,
      'x-headway-delivery': job.id!,
      'x-headway-timestamp': timestamp,
      ...(hook.secret && { 'x-headway-signature': webhookSignature(hook.secret, timestamp, body) }),
    };
    const record: AttemptRecord = { at: at.toISOString() };
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.timeoutMs),
      });
      record.status = response.status;
      const answer = await readStart(response, ANSWER_BYTES);
      if (!response.ok) record.error = `HTTP ${response.status}${answer ? `: ${answer}` : ''}`;
    } catch (error) {
      const name = (error as Error).name;
      record.error =
        name === 'TimeoutError' ? `No answer within ${this.deps.timeoutMs} ms` : `Could not reach it: ${(error as Error).message}`;
    }
    if (record.error) record.error = cap(record.error);
    await job.updateProgress(record as never).catch(() => undefined);
    if (record.error) throw new Error(record.error);
    return { status: record.status! };
  }

  /** The body sent on every attempt, built on the first from the job as it ended. */
  async #body(hook: Webhook, delivery: Job<WebhookDeliveryData>): Promise<string> {
    const { jobId, type, at } = delivery.data;
    const job = (await Job.fromId(this.deps.jobs, jobId)) as Job<JobData> | undefined;
    if (!job) throw new UnrecoverableError(`Job ${jobId} no longer exists`);
    const summary = await toJobSummary(this.deps.jobs, job);
    const url = `${this.#publicUrl}/jobs/${encodeURIComponent(jobId)}`;
    if (hook.format === 'slack') return JSON.stringify({ text: webhookText(type, summary, url) });
    const payload: WebhookPayload = { id: delivery.id!, type, createdAt: at, job: summary, url };
    return JSON.stringify(payload);
  }

  #describe(job: Job<WebhookDeliveryData>, state: string): WebhookDelivery {
    const last = (typeof job.progress === 'object' ? job.progress : {}) as Partial<AttemptRecord>;
    const hook = this.#hooks.get(job.data.hook);
    const delivery: WebhookDelivery = {
      id: job.id!,
      type: job.data.type,
      jobId: job.data.jobId,
      target: hook ? new URL(hook.url).origin : `webhook ${job.data.hook} (no longer configured)`,
      state: STATE[state] ?? 'pending',
      attempts: job.attemptsStarted,
      maxAttempts: job.opts.attempts ?? 1,
      createdAt: new Date(job.timestamp).toISOString(),
    };
    if (last.status !== undefined) delivery.lastStatus = last.status;
    const error = last.error ?? (state === 'failed' ? job.failedReason : undefined);
    if (error) delivery.lastError = cap(error);
    if (last.at) delivery.lastAttemptAt = last.at;
    return delivery;
  }
}

const STATE: Record<string, WebhookDelivery['state']> = {
  waiting: 'pending',
  active: 'sending',
  delayed: 'retrying',
  completed: 'delivered',
  failed: 'failed',
};

const cap = (text: string) => (text.length > ERROR_CHARS ? `${text.slice(0, ERROR_CHARS - 1)}…` : text);

/** The first `max` bytes of the answer as text (control characters out, … if cut); the rest is not read. */
async function readStart(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  try {
    while (size <= max) {
      const { done, value } = await reader.read();
      ended = done;
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  const text = new TextDecoder()
    .decode(bytes.subarray(0, max))
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return ended && size <= max ? text : `${text}…`;
}
