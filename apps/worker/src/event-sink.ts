// Where a running job's events go: every event to the job's Redis stream (batched per tick, in
// order; Bull Board reads the job's log from there too), and a snapshot to `job.updateProgress`
// at most every half second, for BullMQ's own views and the job list. A write that meets a
// passing Redis fault (a failover, a dropped connection) is sent again, each batch under an id the
// append script remembers, so an event whose reply was lost is still written once. The first write
// also reads the job's cancel request (one round trip instead of two to start a job): when there
// is one, that write and every event pushed until `admitCancel` are dropped, and `onCancel` is told.
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
  /** The next write is the attempt's first: it reads the job's cancel request. */
  #checkCancel = true;
  /** The reason of the cancel request the first write found. */
  #refused?: string;
  /** Batches taken up to this epoch are dropped (the first write found a cancel); `admitCancel` ends it. */
  #epoch = 0;
  #refusedEpoch = -1;
  /** The refused first write's stall events, which the cancel's write still reports. */
  #kept?: { events: NewJobEvent[]; stall?: { attempt: number; events: number } };

  constructor(
    private readonly job: Job,
    private readonly stream: EventStream,
    /** Told when Redis restarted or failed over without some of this job's newest events. */
    private readonly onLost: (from: number, to: number) => void = () => {},
    /** Told when the first write found a cancel request, with its reason: the run should stop. */
    private readonly onCancel: (reason: string) => void = () => {},
  ) {}

  /** The reason of a cancel request asked before this attempt started, once the first write has found it. */
  get cancelRequested(): string | undefined {
    return this.#refused;
  }

  /**
   * After a cancel found by the first write: drops what was pushed since (the run's events, never
   * written), and lets the next writes through, headed by the stall events the first write held.
   */
  admitCancel(): void {
    if (this.#refused === undefined || this.#refusedEpoch < this.#epoch) return;
    this.#epoch++;
    const kept = this.#kept;
    this.#kept = undefined;
    this.#unwritten -= this.#batch.length;
    this.#batch = [...(kept?.events ?? [])];
    this.#unwritten += this.#batch.length;
    this.#stall = kept?.events.length ? kept.stall : undefined;
  }

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
    const checkCancel = this.#checkCancel;
    this.#checkCancel = false;
    const epoch = this.#epoch;
    this.#enqueue(() => this.#write(batch, { expireSeconds, stall, checkCancel }, epoch));
  }

  /** One batch, retried through passing faults; dropped when taken before a cancel found by the first write. */
  async #write(
    batch: NewJobEvent[],
    options: { expireSeconds?: number; stall?: { attempt: number; events: number }; checkCancel?: boolean },
    epoch: number,
  ): Promise<void> {
    const batchId = `${this.#writer}:${++this.#batches}`;
    try {
      if (epoch <= this.#refusedEpoch) return;
      const { entries, lost, cancelled } = await this.#retrying(() =>
        this.stream.append(this.job.id!, batch, {
          ...options,
          lastSeq: this.#lastSeq,
          lastId: this.#lastId,
          batchId,
          forgetBatchId: this.#acknowledged,
        }),
      );
      if (cancelled !== undefined) {
        this.#refused = cancelled;
        this.#refusedEpoch = epoch;
        this.#kept = { events: batch.slice(0, options.stall?.events ?? 0), stall: options.stall };
        this.onCancel(cancelled);
        return;
      }
      this.#acknowledged = batchId;
      this.#lastSeq = entries.at(-1)?.event.seq ?? this.#lastSeq;
      this.#lastId = entries.at(-1)?.id ?? this.#lastId;
      if (lost) this.onLost(lost.from, lost.to);
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
    // A run refused for a cancel reports no progress of its own.
    if (!snapshot || this.#refusedEpoch === this.#epoch) return;
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
