// Where a running job's events go: every event to the job's Redis stream (batched per tick, in
// order), log lines to `job.log` for Bull Board, and a throttled snapshot to `job.updateProgress`.
import type { EventStream, JobSnapshot, NewJobEvent } from '@headway/progress';
import type { Job } from 'bullmq';

/** Snapshots between phase changes go to BullMQ at most this often. */
const SNAPSHOT_INTERVAL_MS = 500;

export class EventSink {
  #batch: NewJobEvent[] = [];
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;
  #failure?: unknown;
  #lastSnapshotAt = 0;
  #lastPhaseKey = '';
  #pendingSnapshot?: JobSnapshot;
  #snapshotTimer?: ReturnType<typeof setTimeout>;
  #lastSeq = 0;

  constructor(
    private readonly job: Job,
    private readonly stream: EventStream,
    /** Told when Redis restarted without some of this job's newest events. */
    private readonly onLost: (from: number, to: number) => void = () => {},
  ) {}

  push(event: NewJobEvent): void {
    this.#batch.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flushBatch());
  }

  /** Called with the tracker's snapshot after each progress event. */
  snapshot(snapshot: JobSnapshot): void {
    const phaseKey = `${snapshot.stage}/${snapshot.phase}/${snapshot.iteration ?? ''}`;
    this.#pendingSnapshot = snapshot;
    const due = Date.now() - this.#lastSnapshotAt >= SNAPSHOT_INTERVAL_MS;
    if (phaseKey !== this.#lastPhaseKey || due) {
      this.#lastPhaseKey = phaseKey;
      this.#sendSnapshot();
    } else if (!this.#snapshotTimer) {
      this.#snapshotTimer = setTimeout(() => this.#sendSnapshot(), SNAPSHOT_INTERVAL_MS);
    }
  }

  /** Resolves when everything pushed so far is in Redis; rejects if a write failed. */
  async flush(): Promise<void> {
    if (this.#batch.length > 0) this.#flushBatch();
    if (this.#pendingSnapshot) this.#sendSnapshot();
    await this.#chain;
    if (this.#failure) throw this.#failure;
  }

  #flushBatch(): void {
    this.#scheduled = false;
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    this.#enqueue(async () => {
      const [{ entries, lost }] = await Promise.all([
        this.stream.append(this.job.id!, batch, this.#lastSeq),
        ...batch.map((e) => this.#log(e)),
      ]);
      this.#lastSeq = entries.at(-1)?.event.seq ?? this.#lastSeq;
      if (lost) this.onLost(lost.from, lost.to);
    });
  }

  #log(event: NewJobEvent): Promise<unknown> | undefined {
    if (event.kind === 'log') {
      return this.job.log(`${event.level.toUpperCase()} ${event.stage ? `[${event.stage}] ` : ''}${event.message}`);
    }
    if (event.kind === 'progress') return this.job.log(`[${event.stage}] ${event.message}`);
    return undefined;
  }

  #sendSnapshot(): void {
    clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = undefined;
    const snapshot = this.#pendingSnapshot;
    if (!snapshot) return;
    this.#pendingSnapshot = undefined;
    this.#lastSnapshotAt = Date.now();
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
