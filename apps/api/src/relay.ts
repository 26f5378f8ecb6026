// One relay per API process: a single blocking XREAD over the streams of every job someone is
// watching, each new entry published once to the job's Bun pub/sub topic. Sockets join a job's
// topic only after replaying up to the relay's cursor, so the seam has no gap and no duplicate.

import type { RedisClient } from '@headway/progress';
import { compareIds, decodeEntry, type EventStream, messagesFor, type RawEntry, type RedisKeys, serverLog } from '@headway/progress';

const BLOCK_MS = 5000;
const COUNT = 500;

interface Watch {
  /** Id of the newest entry already published to the topic. */
  cursor: string;
  viewers: number;
}

export interface RelayDeps {
  /** A connection of its own: it sits in XREAD BLOCK. */
  reader: RedisClient;
  /** Any other connection, used to interrupt the reader when the watched set changes. */
  control: RedisClient;
  keys: RedisKeys;
  stream: EventStream;
}

export const jobTopic = (jobId: string) => `job:${jobId}`;

export class Relay {
  readonly #watches = new Map<string, Watch>();
  readonly #pending = new Map<string, Promise<Watch>>();
  readonly #jobOfKey = new Map<string, string>();
  #publish: (topic: string, data: string) => void = () => {};
  #readerId?: number;
  /** Bumped whenever the watched set changes; an XREAD of an older generation must be cut short. */
  #generation = 0;
  #inflight?: number;
  #running = false;
  #loop?: Promise<void>;
  #wake?: () => void;
  #eventsRelayed = 0;

  constructor(private readonly deps: RelayDeps) {}

  start(publish: (topic: string, data: string) => void): void {
    this.#publish = publish;
    this.#running = true;
    this.deps.reader.on('ready', () => {
      this.#readerId = undefined;
    });
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#generation++;
    this.#wake?.();
    await this.#interrupt();
    this.deps.reader.disconnect();
    await this.#loop?.catch(() => undefined);
  }

  /** Counts one more viewer of the job; resolves once the relay follows its stream. */
  async acquire(jobId: string): Promise<void> {
    const existing = this.#watches.get(jobId);
    if (existing) {
      existing.viewers++;
      return;
    }
    let pending = this.#pending.get(jobId);
    if (!pending) {
      pending = this.deps.stream.lastId(jobId).then((cursor) => {
        const watch = { cursor, viewers: 0 };
        this.#watches.set(jobId, watch);
        this.#jobOfKey.set(this.deps.keys.events(jobId), jobId);
        this.#pending.delete(jobId);
        this.#generation++;
        this.#wake?.();
        void this.#interrupt();
        return watch;
      });
      this.#pending.set(jobId, pending);
    }
    (await pending).viewers++;
  }

  release(jobId: string): void {
    const watch = this.#watches.get(jobId);
    if (!watch || --watch.viewers > 0) return;
    this.#watches.delete(jobId);
    this.#jobOfKey.delete(this.deps.keys.events(jobId));
  }

  /** For /metrics: jobs followed now, their viewers on this process, events published so far. */
  get stats(): { watchedJobs: number; viewers: number; eventsRelayed: number } {
    let viewers = 0;
    for (const watch of this.#watches.values()) viewers += watch.viewers;
    return { watchedJobs: this.#watches.size, viewers, eventsRelayed: this.#eventsRelayed };
  }

  /** The newest entry id already published for a watched job. */
  cursorOf(jobId: string): string | undefined {
    return this.#watches.get(jobId)?.cursor;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      if (this.#watches.size === 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      try {
        this.#readerId ??= Number(await this.deps.reader.client('ID'));
        const jobs = [...this.#watches.keys()];
        const cursors = jobs.map((id) => this.#watches.get(id)!.cursor);
        this.#inflight = this.#generation;
        const reply = (await this.deps.reader.xread(
          'COUNT',
          COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...jobs.map((id) => this.deps.keys.events(id)),
          ...cursors,
        )) as [string, RawEntry[]][] | null;
        this.#inflight = undefined;
        failures = 0;
        for (const [key, raw] of reply ?? []) this.#deliver(key, raw);
      } catch (error) {
        this.#inflight = undefined;
        if (!this.#running) return;
        failures++;
        serverLog.error('relay', `XREAD failed (${(error as Error).message}); retrying`);
        await Bun.sleep(Math.min(5000, 100 * 2 ** failures));
      }
    }
  }

  #deliver(key: string, raw: RawEntry[]): void {
    const jobId = this.#jobOfKey.get(key);
    const watch = jobId && this.#watches.get(jobId);
    if (!jobId || !watch) return;
    const fresh = raw.map(decodeEntry).filter((e) => compareIds(e.id, watch.cursor) > 0);
    if (fresh.length === 0) return;
    watch.cursor = fresh.at(-1)!.id;
    this.#eventsRelayed += fresh.length;
    const topic = jobTopic(jobId);
    for (const message of messagesFor(fresh)) this.#publish(topic, JSON.stringify(message));
  }

  /** Ends the reader's current XREAD BLOCK so the next one covers the new set of jobs. */
  async #interrupt(): Promise<void> {
    // The UNBLOCK can reach Redis before the XREAD it targets; retry until that XREAD is over.
    for (let tries = 0; tries < 100; tries++) {
      const stale = this.#inflight !== undefined && this.#inflight < this.#generation;
      if (!stale || this.#readerId === undefined) return;
      const unblocked = await this.deps.control.client('UNBLOCK', this.#readerId).catch(() => 0);
      if (Number(unblocked) === 1) return;
      await Bun.sleep(2);
    }
  }
}
