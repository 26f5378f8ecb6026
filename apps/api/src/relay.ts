// One relay per API process: it follows the stream of every job someone is watching and publishes
// each new entry once to the job's Bun pub/sub topic. The append scripts ring the job's live
// channel (SPUBLISH) after each write; the relay then reads the stream from its cursor (XRANGE).
// Pub/sub may drop a ring (a reconnect, a failover), so every watched job is also read every
// CATCH_UP_MS. Sockets join a job's topic only after replaying up to the relay's cursor, so the
// seam has no gap and no duplicate. The same code serves one Redis and a Redis Cluster: one
// job's channel and stream share its slot, and no command spans two jobs.
import {
  compareIds,
  decodeEntry,
  type EventStream,
  messagesFor,
  type RawEntry,
  type RedisClient,
  type RedisKeys,
  serverLog,
} from '@headway/progress';

/** Entries read per XRANGE; a full page is followed by the next at once. */
const COUNT = 500;
/** Every watched job is read this often, whatever rang: a ring lost in transit costs at most this. */
export const CATCH_UP_MS = 2000;
/**
 * How often the jobs due a catch-up read are looked for. Each job is due CATCH_UP_MS after its own
 * last read, so with thousands watched the reads spread over the period instead of landing in one
 * burst that holds up live deliveries, and a job read on every ring needs none.
 */
const CATCH_UP_TICK_MS = 100;

interface Watch {
  /** Id of the newest entry already published to the topic. */
  cursor: string;
  viewers: number;
  /** The read in flight, if any: at most one per job, so entries are published in order. */
  reading?: Promise<void>;
  /** Rung while a read was in flight: read again when it ends. */
  again: boolean;
  /** When its last read started (Date.now()): the catch-up reads it CATCH_UP_MS later. */
  readAt: number;
}

export interface RelayDeps {
  /**
   * A connection of its own, subscribed to the watched jobs' live channels (SSUBSCRIBE). On a
   * cluster, opened with `shardedSubscribers`: one subscriber connection per master.
   */
  subscriber: RedisClient;
  /** A connection of its own for the relay's reads (XRANGE). */
  reader: RedisClient;
  keys: RedisKeys;
  stream: EventStream;
}

export const jobTopic = (jobId: string) => `job:${jobId}`;

export class Relay {
  readonly #watches = new Map<string, Watch>();
  readonly #pending = new Map<string, Promise<Watch>>();
  readonly #jobOfChannel = new Map<string, string>();
  #publish: (topic: string, data: string) => void = () => {};
  #catchUp?: ReturnType<typeof setInterval>;
  #running = false;
  #failing = false;
  #eventsRelayed = 0;

  constructor(private readonly deps: RelayDeps) {}

  /** Starts the loop; a second call (the app starts it on listen) changes nothing. */
  start(publish: (topic: string, data: string) => void): void {
    if (this.#running) return;
    this.#publish = publish;
    this.#running = true;
    const { subscriber } = this.deps;
    subscriber.on('smessage', (channel: string, lastId: string) => {
      const jobId = this.#jobOfChannel.get(channel);
      const watch = jobId && this.#watches.get(jobId);
      // A ring for an entry already published (read by an earlier ring or the catch-up) needs nothing.
      if (watch && compareIds(lastId, watch.cursor) > 0) this.#read(jobId, watch);
    });
    // Rings sent while the subscriber was away are lost: read everything once it is back.
    for (const event of ['ready', '+node', '-node']) subscriber.on(event, () => this.#readAll());
    this.#catchUp = setInterval(() => this.#readDue(), CATCH_UP_TICK_MS);
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#catchUp);
    this.#watches.clear();
    this.#jobOfChannel.clear();
    this.deps.subscriber.disconnect();
    this.deps.reader.disconnect();
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
      pending = this.#follow(jobId).finally(() => this.#pending.delete(jobId));
      this.#pending.set(jobId, pending);
    }
    (await pending).viewers++;
  }

  release(jobId: string): void {
    const watch = this.#watches.get(jobId);
    if (!watch || --watch.viewers > 0) return;
    this.#watches.delete(jobId);
    const channel = this.deps.keys.live(jobId);
    this.#jobOfChannel.delete(channel);
    this.deps.subscriber.sunsubscribe(channel).catch(() => undefined);
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

  async #follow(jobId: string): Promise<Watch> {
    const channel = this.deps.keys.live(jobId);
    // Subscribed first, then the cursor: an entry written in between is either below the cursor
    // or rings a channel already listened to. One read after closes the last gap, a ring that
    // came while the cursor was being read (before the watch existed).
    await this.deps.subscriber.ssubscribe(channel);
    const cursor = await this.deps.stream.lastId(jobId).catch((error: unknown) => {
      if (!this.#watches.has(jobId)) this.deps.subscriber.sunsubscribe(channel).catch(() => undefined);
      throw error;
    });
    const watch: Watch = { cursor, viewers: 0, again: false, readAt: 0 };
    this.#watches.set(jobId, watch);
    this.#jobOfChannel.set(channel, jobId);
    this.#read(jobId, watch);
    return watch;
  }

  #readAll(): void {
    for (const [jobId, watch] of this.#watches) this.#read(jobId, watch);
  }

  #readDue(): void {
    const due = Date.now() - CATCH_UP_MS;
    for (const [jobId, watch] of this.#watches) if (watch.readAt <= due) this.#read(jobId, watch);
  }

  /** Reads the job's stream past its cursor until it is drained, one read at a time. */
  #read(jobId: string, watch: Watch): void {
    if (watch.reading) {
      watch.again = true;
      return;
    }
    watch.readAt = Date.now();
    watch.reading = (async () => {
      try {
        do {
          watch.again = false;
          let page: RawEntry[];
          do {
            page = (await this.deps.reader.xrange(this.deps.keys.events(jobId), `(${watch.cursor}`, '+', 'COUNT', COUNT)) as RawEntry[];
            if (this.#watches.get(jobId) !== watch) return;
            this.#deliver(jobId, watch, page);
          } while (page.length === COUNT);
        } while (watch.again);
        if (this.#failing) serverLog.error('relay', 'reading streams again');
        this.#failing = false;
      } catch (error) {
        // The next ring or catch-up reads again; say so once per outage, not once per job.
        if (this.#running && !this.#failing) serverLog.error('relay', `XRANGE failed (${(error as Error).message}); retrying`);
        this.#failing = true;
      } finally {
        watch.reading = undefined;
      }
    })();
  }

  #deliver(jobId: string, watch: Watch, raw: RawEntry[]): void {
    const fresh = raw.map(decodeEntry).filter((e) => compareIds(e.id, watch.cursor) > 0);
    if (fresh.length === 0) return;
    watch.cursor = fresh.at(-1)!.id;
    this.#eventsRelayed += fresh.length;
    const topic = jobTopic(jobId);
    for (const message of messagesFor(fresh)) this.#publish(topic, JSON.stringify(message));
  }
}
