// Where a running job's events go: every event to the job's Redis stream (batched per tick, in
// order; Bull Board reads the job's log from there too), and a snapshot to `job.updateProgress`
// at most every half second, for BullMQ's own views and the job list. A write that meets a
// passing Redis fault (a failover, a dropped connection) is sent again, each batch under an id the
// append script remembers, so an event whose reply was lost is still written once.
import { randomUUID } from 'node:crypto';
import { type EventStream, isTransient, type JobSnapshot, type NewJobEvent, serverLog } from '@headway/progress';
import type { Job } from 'bullmq';

const SNAPSHOT_INTERVAL_MS = 500;
/**
 * How long a write is retried through passing faults: past a replica's promotion (Redis Cluster's
 * cluster-node-timeout plus a second or two, Sentinel's down-after-milliseconds plus its failover).
 */
export const WRITE_RETRY_MS = 60_000;
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2000;
/** Events pushed but not yet in Redis beyond which a producer that can wait should (caughtUp). */
const MAX_UNWRITTEN = 5_000;

export class EventSink {
  #batch: NewJobEvent[] = [];
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;
  #failure?: unknown;
  #pendingSnapshot?: JobSnapshot;
  #snapshotTimer?: ReturnType<typeof setTimeout>;
  #lastSeq = 0;
  #lastId = '';
  #unwritten = 0;
  readonly #writer = randomUUID();
  #batches = 0;
  /** The newest batch Redis acknowledged: it is never sent again, so the script may forget it. */
  #acknowledged = '';
  /** The stall that the next batch starts with, if any (EventStream's `stall`). */
  #stall?: { attempt: number; events: number };

  constructor(
    private readonly job: Job,
    private readonly stream: EventStream,
    /** Told when Redis restarted or failed over without some of this job's newest events. */
    private readonly onLost: (from: number, to: number) => void = () => {},
  ) {}

  push(event: NewJobEvent): void {
    this.#batch.push(event);
    this.#unwritten++;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flushBatch());
  }

  /**
   * An earlier attempt's stall, written ahead of everything else this sink writes, and left out
   * if another process (the worker whose check found it) reported it first.
   */
  pushStall(events: readonly NewJobEvent[], attempt: number): void {
    if (events.length === 0) return;
    if (this.#batch.length > 0) throw new Error('a stall must be pushed before any other event');
    this.#stall = { attempt, events: events.length };
    for (const event of events) this.push(event);
  }

  /**
   * Writes what was pushed so far (the attempt's stall and `active` status) unless the job has a
   * cancel request, which this same call reads: then nothing is written, the stall's events wait
   * for the next write, and the request's reason is returned.
   */
  async start(): Promise<string | undefined> {
    this.#scheduled = false;
    const batch = this.#batch;
    const stall = this.#stall;
    this.#batch = [];
    this.#stall = undefined;
    let cancelled: string | undefined;
    this.#enqueue(async () => {
      cancelled = await this.#write(batch, { stall, checkCancel: true });
      if (cancelled === undefined) return;
      const kept = batch.slice(0, stall?.events ?? 0);
      this.#batch = [...kept, ...this.#batch];
      this.#unwritten += kept.length;
      this.#stall = stall;
    });
    await this.#chain;
    return cancelled;
  }

  /** Called with the tracker's snapshot after each progress event; the latest one is sent. */
  snapshot(snapshot: JobSnapshot): void {
    this.#pendingSnapshot = snapshot;
    this.#snapshotTimer ??= setTimeout(() => this.#sendSnapshot(), SNAPSHOT_INTERVAL_MS);
  }

  /** Undefined while few events wait to be written; else resolves when those written so far are. */
  caughtUp(): Promise<void> | undefined {
    if (this.#unwritten <= MAX_UNWRITTEN) return undefined;
    this.#flushBatch();
    return this.#chain;
  }

  /**
   * Resolves when everything pushed so far is in Redis; rejects if a write failed. With
   * `expireSeconds` (the job has ended) its stream's retention starts with the last write.
   */
  async flush({ expireSeconds }: { expireSeconds?: number } = {}): Promise<void> {
    if (this.#batch.length > 0) this.#flushBatch(expireSeconds);
    else if (expireSeconds) this.#enqueue(() => this.#retrying(() => this.stream.expire(this.job.id!, expireSeconds)));
    if (this.#pendingSnapshot) this.#sendSnapshot();
    await this.#chain;
    if (this.#failure) throw this.#failure;
  }

  #flushBatch(expireSeconds?: number): void {
    this.#scheduled = false;
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const stall = this.#stall;
    this.#stall = undefined;
    this.#enqueue(() => this.#write(batch, { expireSeconds, stall }));
  }

  /** One batch, retried through passing faults; the cancel request's reason when `checkCancel` found one. */
  async #write(
    batch: NewJobEvent[],
    options: { expireSeconds?: number; stall?: { attempt: number; events: number }; checkCancel?: boolean },
  ): Promise<string | undefined> {
    const batchId = `${this.#writer}:${++this.#batches}`;
    try {
      const { entries, lost, cancelled } = await this.#retrying(() =>
        this.stream.append(this.job.id!, batch, {
          ...options,
          lastSeq: this.#lastSeq,
          lastId: this.#lastId,
          batchId,
          forgetBatchId: this.#acknowledged,
        }),
      );
      if (cancelled !== undefined) return cancelled;
      this.#acknowledged = batchId;
      this.#lastSeq = entries.at(-1)?.event.seq ?? this.#lastSeq;
      this.#lastId = entries.at(-1)?.id ?? this.#lastId;
      if (lost) this.onLost(lost.from, lost.to);
      return undefined;
    } finally {
      this.#unwritten -= batch.length;
    }
  }

  /** Runs `write` until it succeeds, fails for good, or passing faults outlast WRITE_RETRY_MS. */
  async #retrying<T>(write: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + WRITE_RETRY_MS;
    for (let pause = RETRY_FIRST_MS, retries = 0; ; pause = Math.min(pause * 2, RETRY_MAX_MS), retries++) {
      try {
        const result = await write();
        if (retries > 0) serverLog.info('worker', `job ${this.job.id}: written after ${retries} retries`);
        return result;
      } catch (error) {
        if (!isTransient(error) || Date.now() + pause > deadline) throw error;
        if (retries === 0) serverLog.warn('worker', `job ${this.job.id}: ${(error as Error).message}; retrying the write`);
        await Bun.sleep(pause);
      }
    }
  }

  #sendSnapshot(): void {
    clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = undefined;
    const snapshot = this.#pendingSnapshot;
    if (!snapshot) return;
    this.#pendingSnapshot = undefined;
    this.#enqueue(() => this.#retrying(() => this.job.updateProgress(snapshot)));
  }

  #enqueue(write: () => Promise<unknown>): void {
    this.#chain = this.#chain.then(write).then(
      () => undefined,
      (error) => {
        this.#failure ??= error;
      },
    );
  }
}
