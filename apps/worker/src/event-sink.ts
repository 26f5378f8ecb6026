// Where a running job's events go: every event to the job's Redis stream (batched per tick, in
// order; Bull Board reads the job's log from there too), and a snapshot to `job.updateProgress`
// at most every half second, for BullMQ's own views and the job list.
import type { EventStream, JobSnapshot, NewJobEvent } from '@headway/progress';
import type { Job } from 'bullmq';

const SNAPSHOT_INTERVAL_MS = 500;
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
  #unwritten = 0;
  /** The stall that the next batch starts with, if any (EventStream's `stall`). */
  #stall?: { attempt: number; events: number };

  constructor(
    private readonly job: Job,
    private readonly stream: EventStream,
    /** Told when Redis restarted without some of this job's newest events. */
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
    else if (expireSeconds) this.#enqueue(() => this.stream.expire(this.job.id!, expireSeconds));
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
    this.#enqueue(async () => {
      const { entries, lost } = await this.stream
        .append(this.job.id!, batch, { lastSeq: this.#lastSeq, expireSeconds, ...(stall && { stall }) })
        .finally(() => (this.#unwritten -= batch.length));
      this.#lastSeq = entries.at(-1)?.event.seq ?? this.#lastSeq;
      if (lost) this.onLost(lost.from, lost.to);
    });
  }

  #sendSnapshot(): void {
    clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = undefined;
    const snapshot = this.#pendingSnapshot;
    if (!snapshot) return;
    this.#pendingSnapshot = undefined;
    this.#enqueue(() => this.job.updateProgress(snapshot));
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
