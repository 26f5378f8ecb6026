// One feed per API process: BullMQ's queue events, each job that changed loaded at most once per
// COALESCE_MS and published to the `jobs` topic as a `job` (or `job_removed`) message. The id of
// the newest event published is kept in Redis, so a restarted API resumes there instead of at
// QueueEvents' default '$', and list changes made while it was down still go out.

import type { RedisClient } from '@headway/progress';
import { compareIds, type JobListServerMessage, type RedisKeys, serverLog } from '@headway/progress';
import { type Queue, QueueEvents } from 'bullmq';
import { countJobs } from './job-list.ts';
import { readJobSummaries } from './job-summary.ts';

export const JOBS_TOPIC = 'jobs';

/** At most one message per job this often (progress events arrive several times a second). */
const COALESCE_MS = 250;
const PERSIST_MS = 500;
const RETRY_MS = 1000;
/** Messages kept for sockets that read their snapshot while these went out. */
const RECENT = 500;
/** Queue events after which a job's place in the list may have changed. */
const EVENTS = [
  'added',
  'waiting',
  'delayed',
  'active',
  'progress',
  'completed',
  'failed',
  'stalled',
  'retries-exhausted',
  'removed',
] as const;

interface Pending {
  timer?: ReturnType<typeof setTimeout>;
  /** Id of the oldest event not yet covered by a load of the job. */
  dirty?: string;
  /** Id of the oldest event the load in flight covers. */
  loading?: string;
  lastLoadAt: number;
  /** The last message published, not sent again while nothing in it changed. */
  sent?: string;
}

export interface JobListFeedDeps {
  /** A connection of its own ('blocking'): it keeps the last event id, and QueueEvents duplicates it. */
  redis: RedisClient;
  queue: Queue;
  keys: RedisKeys;
}

export class JobListFeed {
  readonly #jobs = new Map<string, Pending>();
  readonly #recent: { version: number; jobId: string; data: string }[] = [];
  #publish: (topic: string, data: string) => void = () => {};
  #events?: QueueEvents;
  #starting?: Promise<void>;
  #stopping?: Promise<void>;
  #persistTimer?: ReturnType<typeof setInterval>;
  #persisting = false;
  #stopped = false;
  #failing = false;
  /** Newest event seen, and the id last written to Redis. */
  #lastId?: string;
  #persisted?: string;
  #version = 0;

  constructor(private readonly deps: JobListFeedDeps) {}

  /** Counts the messages published so far; `publishedSince` takes one. */
  get version(): number {
    return this.#version;
  }

  /** Follows the queue's events; a second call, or one after stop, changes nothing. */
  start(publish: (topic: string, data: string) => void): void {
    if (this.#starting || this.#stopped) return;
    this.#publish = publish;
    this.#starting = this.#start().catch((error) => {
      if (!this.#stopped) serverLog.error('job-list', `could not start: ${(error as Error).message}`);
    });
  }

  /** Stops following; every call waits for the same stop. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#persistTimer);
    for (const pending of this.#jobs.values()) clearTimeout(pending.timer);
    // This connection's commands wait for a reconnect; a shutdown while Redis is down must not.
    if (this.#events) {
      await Promise.race([this.#events.close().catch(() => undefined), Bun.sleep(1000)]);
      await Promise.race([this.#persist(), Bun.sleep(1000)]);
    }
    this.deps.redis.disconnect();
    await this.#starting;
  }

  /**
   * The newest message of each job published after `version`, in publish order; undefined when
   * some of them are no longer kept.
   */
  publishedSince(version: number): string[] | undefined {
    if (version >= this.#version) return [];
    if ((this.#recent[0]?.version ?? Infinity) > version + 1) return undefined;
    const latest = new Map<string, string>();
    for (const entry of this.#recent) {
      if (entry.version <= version) continue;
      latest.delete(entry.jobId);
      latest.set(entry.jobId, entry.data);
    }
    return [...latest.values()];
  }

  async #start(): Promise<void> {
    const { redis, queue, keys } = this.deps;
    const stored = await redis.get(keys.jobListLastEventId);
    // First start of this deployment: from the stream's newest event, so even a restart before
    // any job changes resumes without a gap.
    const newest = stored ? undefined : ((await redis.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0');
    if (this.#stopped) return;
    const from = stored ?? newest!;
    this.#lastId = from;
    this.#persisted = stored ?? undefined;
    serverLog.info('job-list', `following queue events after ${from}`);
    const events = new QueueEvents(keys.queueName, { connection: redis, prefix: keys.queuePrefix, lastEventId: from });
    // Outages are reported once by createRedis; anything else is worth a line.
    events.on('error', (error) => {
      if (!/ECONNREFUSED|ECONNRESET|Connection is closed|connect ETIMEDOUT/i.test(error.message)) {
        serverLog.error('job-list', `queue events: ${error.message}`);
      }
    });
    // Every one of these events carries the job's id; BullMQ types each listener on its own.
    const on = events.on.bind(events) as (event: string, listener: (args: { jobId: string }, id: string) => void) => void;
    for (const name of EVENTS) on(name, ({ jobId }, id) => this.#touch(jobId, id));
    // Not a job's change, but the newest event read: a restart need not read it again.
    events.on('drained', (id) => {
      this.#lastId = id;
    });
    this.#events = events;
    this.#persistTimer = setInterval(() => void this.#persist(), PERSIST_MS);
    void this.#persist();
  }

  #touch(jobId: string, eventId: string): void {
    if (this.#stopped || !jobId) return;
    this.#lastId = eventId;
    let pending = this.#jobs.get(jobId);
    if (!pending) this.#jobs.set(jobId, (pending = { lastLoadAt: 0 }));
    pending.dirty ??= eventId;
    if (pending.timer || pending.loading) return;
    pending.timer = setTimeout(() => void this.#load(jobId), Math.max(0, pending.lastLoadAt + COALESCE_MS - Date.now()));
  }

  /** Publishes the job as it is now if an event came since the last load; else forgets it. */
  async #load(jobId: string): Promise<void> {
    const pending = this.#jobs.get(jobId);
    if (!pending || this.#stopped) return;
    pending.timer = undefined;
    if (!pending.dirty) {
      this.#jobs.delete(jobId);
      return;
    }
    pending.loading = pending.dirty;
    pending.dirty = undefined;
    pending.lastLoadAt = Date.now();
    let delay = COALESCE_MS;
    try {
      const data = JSON.stringify(await this.#messageFor(jobId));
      if (this.#stopped) return;
      if (data !== pending.sent) this.#send(jobId, data);
      pending.sent = data;
      this.#failing = false;
    } catch (error) {
      if (this.#stopped) return;
      if (!this.#failing) serverLog.error('job-list', `could not read job ${jobId} (${(error as Error).message}); retrying`);
      this.#failing = true;
      pending.dirty = pending.loading;
      delay = RETRY_MS;
    }
    pending.loading = undefined;
    pending.timer = setTimeout(() => void this.#load(jobId), delay);
  }

  async #messageFor(jobId: string): Promise<JobListServerMessage> {
    // The summary's fields only: a job's data (its input) can be hundreds of kilobytes.
    const { queue, redis } = this.deps;
    const state = await queue.getJobState(jobId);
    const [[summary], counts] = await Promise.all([
      state === 'unknown' ? [] : readJobSummaries(redis, queue, [{ id: jobId, state }]),
      countJobs(queue),
    ]);
    return summary ? { type: 'job', job: summary, counts } : { type: 'job_removed', id: jobId, counts };
  }

  #send(jobId: string, data: string): void {
    this.#recent.push({ version: ++this.#version, jobId, data });
    if (this.#recent.length > RECENT) this.#recent.shift();
    this.#publish(JOBS_TOPIC, data);
  }

  /** Everything up to here is published: just before the oldest event still waiting for a load. */
  #watermark(): string | undefined {
    let oldest: string | undefined;
    for (const { dirty, loading } of this.#jobs.values()) {
      for (const id of [dirty, loading]) if (id && (!oldest || compareIds(id, oldest) < 0)) oldest = id;
    }
    return oldest ? previousId(oldest) : this.#lastId;
  }

  async #persist(): Promise<void> {
    const id = this.#watermark();
    if (this.#persisting || !id || (this.#persisted && compareIds(id, this.#persisted) <= 0)) return;
    this.#persisting = true;
    try {
      await this.deps.redis.set(this.deps.keys.jobListLastEventId, id);
      this.#persisted = id;
    } catch {
      // Written again on the next tick; createRedis reports the outage.
    } finally {
      this.#persisting = false;
    }
  }
}

/** The stream id just before `id`, so that reading after it starts at `id`. */
function previousId(id: string): string {
  const [ms = 0n, seq = 0n] = id.split('-').map((part) => BigInt(part));
  return seq > 0n ? `${ms}-${seq - 1n}` : `${ms - 1n}-18446744073709551615`;
}
