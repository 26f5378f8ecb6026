// The job list's live changes. One API process at a time (the holder of a lease) follows BullMQ's
// queue events, loads each job that changed at most once per COALESCE_MS and adds it to a feed
// stream as a `job` (or `job_removed`) message; every API process reads that stream and publishes
// it to the `jobs` topic. So the loads do not grow with the number of APIs. The id of the newest
// queue event written is kept in Redis, so a writer that takes over (or a restarted one) resumes
// there instead of at QueueEvents' default '$', and list changes made meanwhile still go out.

import type { RedisClient } from '@headway/progress';
import { compareIds, type JobListServerMessage, Lease, type RedisKeys, serverLog } from '@headway/progress';
import { type Queue, QueueEvents } from 'bullmq';
import { countJobs } from './job-list.ts';
import { readJobSummaries } from './job-summary.ts';

export const JOBS_TOPIC = 'jobs';

/** At most one message per job this often (progress events arrive several times a second). */
const COALESCE_MS = 250;
const PERSIST_MS = 500;
const RETRY_MS = 1000;
/** A writer that stops renewing (killed, frozen) is replaced after this. */
export const WRITER_LEASE_MS = 3000;
const LEASE_TICK_MS = 1000;
/** Messages kept in the feed stream: readers follow it live, a new one starts at its end. */
const FEED_MAX_LEN = 1000;
const READ_BLOCK_MS = 5000;
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
  /** A connection of its own ('blocking'): it keeps the last event id and the lease, QueueEvents and the feed's reader duplicate it. */
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
  #lease?: Lease;
  #leaseTimer?: ReturnType<typeof setInterval>;
  /** The lease step in flight, which a stop waits for. */
  #ticking?: Promise<void>;
  /** Whether this process writes the feed (holds the lease). */
  #writing = false;
  #reader?: RedisClient;
  #reading?: Promise<void>;
  /** Summaries this process loaded as the writer. */
  #loads = 0;
  /** Newest event seen, and the id last written to Redis. */
  #lastId?: string;
  #persisted?: string;
  #version = 0;

  constructor(private readonly deps: JobListFeedDeps) {}

  /** Job summaries this process has loaded (only while it writes the feed). */
  get loads(): number {
    return this.#loads;
  }

  /** Counts the messages published so far; `publishedSince` takes one. */
  get version(): number {
    return this.#version;
  }

  /** Reads the feed, and writes it while this process holds the lease; a second call, or one after stop, changes nothing. */
  start(publish: (topic: string, data: string) => void): void {
    if (this.#starting || this.#stopped) return;
    this.#publish = publish;
    this.#lease = new Lease(this.deps.redis, this.deps.keys.jobListWriter, WRITER_LEASE_MS);
    this.#reading = this.#read();
    this.#leaseTimer = setInterval(() => void this.#tickLease(), LEASE_TICK_MS);
    this.#starting = this.#tickLease();
  }

  #tickLease(): Promise<void> {
    this.#ticking ??= this.#leaseStep().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  /** Stops following; every call waits for the same stop. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#leaseTimer);
    await this.#ticking;
    // This connection's commands wait for a reconnect; a shutdown while Redis is down must not.
    if (this.#writing) {
      await this.#stopWriting();
      await Promise.race([this.#lease?.release().catch(() => undefined), Bun.sleep(1000)]);
    }
    this.#reader?.disconnect();
    await this.#reading;
    this.deps.redis.disconnect();
  }

  /** Takes the lease when it is free, renews it while held, and starts or stops writing with it. */
  async #leaseStep(): Promise<void> {
    if (this.#stopped || !this.#lease) return;
    try {
      if (this.#writing) {
        if (!(await this.#lease.renew()) && !this.#stopped) {
          serverLog.info('job-list', 'another API process writes the feed now');
          await this.#stopWriting();
        }
      } else if ((await this.#lease.acquire()) && !this.#stopped) {
        this.#writing = true;
        await this.#startWriting().catch(async (error) => {
          if (!this.#stopped) serverLog.error('job-list', `could not start: ${(error as Error).message}`);
          // Not renewed, the lease expires and is taken again (by this process or another).
          await this.#stopWriting();
        });
      }
    } catch {
      // Tried again on the next tick; createRedis reports the outage.
    }
  }

  async #stopWriting(): Promise<void> {
    this.#writing = false;
    clearInterval(this.#persistTimer);
    for (const pending of this.#jobs.values()) clearTimeout(pending.timer);
    const events = this.#events;
    this.#events = undefined;
    if (events) {
      await Promise.race([events.close().catch(() => undefined), Bun.sleep(1000)]);
      await Promise.race([this.#persist(), Bun.sleep(1000)]);
    }
    this.#jobs.clear();
  }

  /** Follows the feed stream from its end, publishing each message on this process's server. */
  async #read(): Promise<void> {
    const reader = (this.deps.redis as { duplicate(): RedisClient }).duplicate();
    this.#reader = reader;
    const feed = this.deps.keys.jobListFeed;
    let cursor: string | undefined;
    let failing = false;
    while (!this.#stopped) {
      try {
        cursor ??= (await reader.xrevrange(feed, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
        const reply = (await reader.xread('COUNT', 500, 'BLOCK', READ_BLOCK_MS, 'STREAMS', feed, cursor)) as
          | [string, [string, string[]][]][]
          | null;
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            cursor = id;
            if (!this.#stopped) this.#deliver(fields[1] ?? '', fields[3] ?? '');
          }
        }
        failing = false;
      } catch (error) {
        if (this.#stopped) return;
        if (!failing) serverLog.error('job-list', `could not read the feed (${(error as Error).message}); retrying`);
        failing = true;
        await Bun.sleep(RETRY_MS);
      }
    }
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

  async #startWriting(): Promise<void> {
    const { redis, queue, keys } = this.deps;
    const stored = await redis.get(keys.jobListLastEventId);
    // First start of this deployment: from the stream's newest event, so even a restart before
    // any job changes resumes without a gap.
    const newest = stored ? undefined : ((await redis.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0');
    if (this.#stopped || !this.#writing) return;
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
    if (this.#stopped || !this.#writing || !jobId) return;
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
    if (!pending || this.#stopped || !this.#writing) return;
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
      this.#loads++;
      const data = JSON.stringify(await this.#messageFor(jobId));
      if (this.#stopped || !this.#writing) return;
      if (data !== pending.sent) await this.#write(jobId, data);
      pending.sent = data;
      this.#failing = false;
    } catch (error) {
      if (this.#stopped || !this.#writing) return;
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

  /** Adds a message to the feed stream, for every API process (this one too) to publish. */
  async #write(jobId: string, data: string): Promise<void> {
    await this.deps.redis.xadd(this.deps.keys.jobListFeed, 'MAXLEN', '~', String(FEED_MAX_LEN), '*', 'j', jobId, 'm', data);
  }

  #deliver(jobId: string, data: string): void {
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
