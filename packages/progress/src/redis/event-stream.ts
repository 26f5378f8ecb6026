// Writes and reads a job's event stream in Redis.
import { readFileSync } from 'node:fs';
import type { ArtifactEvent, NewJobEvent, StreamEntry } from '../model/events.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { decodeEntry, encodeEvent, type RawEntry } from './stream-codec.ts';

const appendScript = readFileSync(new URL('./scripts/append-events-7.lua', import.meta.url), 'utf8');
const claimRetryScript = readFileSync(new URL('./scripts/claim-retry-7.lua', import.meta.url), 'utf8');
const releaseRetryScript = readFileSync(new URL('./scripts/release-retry-6.lua', import.meta.url), 'utf8');

/**
 * How long a claimed retry is remembered: far longer than a request that read the job before the
 * claim can still be running (each Redis command is bounded), short enough that a claim whose
 * move was lost in an outage does not block the job's retry for long.
 */
export const RETRY_CLAIM_TTL_SECONDS = 60;

type WithAppend = RedisClient & {
  hwAppendEvents(
    seqKey: string,
    streamKey: string,
    stallKey: string,
    artifactsKey: string,
    liveKey: string,
    batchesKey: string,
    cancelKey: string,
    ...argv: string[]
  ): Promise<string[]>;
  hwClaimRetry(...keysAndArgv: string[]): Promise<[string, number] | []>;
  hwReleaseRetry(...keysAndArgv: string[]): Promise<[string, number]>;
};

/** What one append wrote, and the `seq` window a Redis restart or failover lost before it, if any. */
export interface AppendResult {
  entries: StreamEntry[];
  lost?: { from: number; to: number };
  /** With `checkCancel`: the reason of the job's cancel request; then nothing was written. */
  cancelled?: string;
}

export interface AppendOptions {
  lastSeq?: number;
  expireSeconds?: number;
  /**
   * The first `events` events report attempt `attempt`'s stall. Several processes may notice it
   * (the worker whose check found it, the one that picks the job up next); only the first writes.
   */
  stall?: { attempt: number; events: number };
  /**
   * Makes the append idempotent: sent again with the same id (its reply was lost), it writes
   * nothing and answers as the first time. `forgetBatchId` is the writer's previous batch,
   * acknowledged, so no longer remembered.
   */
  batchId?: string;
  forgetBatchId?: string;
  /** Writes nothing when the job has a cancel request, and returns its reason (`cancelled`). */
  checkCancel?: boolean;
  /** The id of the last entry this writer was given: after lost writes, new ids go on above it. */
  lastId?: string;
}

export interface EventStreamOptions {
  /** Approximate cap of entries per job stream. */
  maxLen: number;
}

export class EventStream {
  readonly #redis: WithAppend;

  constructor(
    redis: RedisClient,
    readonly keys: RedisKeys,
    readonly options: EventStreamOptions,
  ) {
    if (!('hwAppendEvents' in redis)) redis.defineCommand('hwAppendEvents', { numberOfKeys: 7, lua: appendScript });
    if (!('hwClaimRetry' in redis)) redis.defineCommand('hwClaimRetry', { numberOfKeys: 7, lua: claimRetryScript });
    if (!('hwReleaseRetry' in redis)) redis.defineCommand('hwReleaseRetry', { numberOfKeys: 6, lua: releaseRetryScript });
    this.#redis = redis as WithAppend;
  }

  /**
   * Appends events in one round trip; each gets the next `seq` of its job. `lastSeq` is the last
   * seq this writer was given: when Redis restarted without the newest writes, the counter is
   * below it, and the lost window is reported instead of its seqs being given out again.
   * `expireSeconds`, with a job's last events, starts the retention period in the same call.
   */
  async append(jobId: string, events: readonly NewJobEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (events.length === 0) return { entries: [] };
    const { lastSeq = 0, expireSeconds = 0, stall, batchId = '', forgetBatchId = '', checkCancel = false, lastId = '' } = options;
    const [found, cancelled, ...reply] = await this.#redis.hwAppendEvents(
      this.keys.seq(jobId),
      this.keys.events(jobId),
      this.keys.stallReported(jobId),
      this.keys.artifacts(jobId),
      this.keys.live(jobId),
      this.keys.batches(jobId),
      this.keys.cancelRequest(jobId),
      String(this.options.maxLen),
      String(lastSeq),
      String(expireSeconds),
      events.map(encodeEvent).join('\n'),
      String(stall?.attempt ?? 0),
      String(stall?.events ?? 0),
      events.flatMap((event, i) => (event.kind === 'artifact' ? [i + 1] : [])).join(' '),
      batchId,
      forgetBatchId,
      checkCancel ? '1' : '0',
      lastId,
    );
    if (cancelled) return { entries: [], cancelled };
    // An event left out (a stall someone reported first) comes back with an empty id.
    const entries = events.flatMap((event, i) =>
      reply[2 * i] ? [{ id: reply[2 * i]!, event: { ...event, seq: Number(reply[2 * i + 1]) } }] : [],
    );
    const counter = Number(found);
    return counter < lastSeq ? { entries, lost: { from: counter + 1, to: lastSeq } } : { entries };
  }

  /**
   * Claims the retry of the job's failure number `failure` (BullMQ's attemptsMade as read) and
   * appends `event` (its `retrying` status) in the same step; undefined when that failure's retry
   * was claimed already. The job's history is kept while it runs again.
   */
  async claimRetry(jobId: string, failure: number, event: NewJobEvent): Promise<StreamEntry | undefined> {
    const reply = await this.#redis.hwClaimRetry(
      this.keys.retryClaim(jobId),
      this.keys.seq(jobId),
      this.keys.events(jobId),
      this.keys.stallReported(jobId),
      this.keys.cancelRequest(jobId),
      this.keys.artifacts(jobId),
      this.keys.live(jobId),
      String(failure),
      String(RETRY_CLAIM_TTL_SECONDS),
      String(this.options.maxLen),
      encodeEvent(event),
    );
    return reply.length === 2 ? { id: reply[0], event: { ...event, seq: Number(reply[1]) } } : undefined;
  }

  /**
   * Undoes `claimRetry` when the move back to the queue failed: appends `event` (the job's status
   * again), lets that failure be retried again, and restarts the retention period.
   */
  async releaseRetry(jobId: string, failure: number, event: NewJobEvent, expireSeconds: number): Promise<StreamEntry> {
    const [id, seq] = await this.#redis.hwReleaseRetry(
      this.keys.retryClaim(jobId),
      this.keys.seq(jobId),
      this.keys.events(jobId),
      this.keys.stallReported(jobId),
      this.keys.artifacts(jobId),
      this.keys.live(jobId),
      String(failure),
      String(this.options.maxLen),
      String(expireSeconds),
      encodeEvent(event),
    );
    return { id, event: { ...event, seq: Number(seq) } };
  }

  /** Every artifact event of the job, of every attempt, oldest first (never trimmed with the stream). */
  async artifacts(jobId: string): Promise<Array<{ id: string; event: ArtifactEvent }>> {
    const items = await this.#redis.lrange(this.keys.artifacts(jobId), 0, -1);
    return items.map((item) => {
      const [id = '', seq = '0', json = '{}'] = item.split('\n');
      return { id, event: { ...(JSON.parse(json) as Omit<ArtifactEvent, 'seq'>), seq: Number(seq) } };
    });
  }

  /** The oldest entry still retained, or undefined when the stream is gone (or never was). */
  async first(jobId: string): Promise<StreamEntry | undefined> {
    const raw = (await this.#redis.xrange(this.keys.events(jobId), '-', '+', 'COUNT', 1)) as RawEntry[];
    return raw[0] && decodeEntry(raw[0]);
  }

  /** Entries after `after` (exclusive; `0` means from the start), oldest first. */
  async range(jobId: string, after: string, count = 1000): Promise<StreamEntry[]> {
    const start = after === '0' || after === '0-0' ? '-' : `(${after}`;
    const raw = (await this.#redis.xrange(this.keys.events(jobId), start, '+', 'COUNT', count)) as RawEntry[];
    return raw.map(decodeEntry);
  }

  /** The newest `count` entries, oldest first. */
  async latest(jobId: string, count: number): Promise<StreamEntry[]> {
    const raw = (await this.#redis.xrevrange(this.keys.events(jobId), '+', '-', 'COUNT', count)) as RawEntry[];
    return raw.reverse().map(decodeEntry);
  }

  /** Id of the newest entry, or `0-0` for an empty or missing stream. */
  async lastId(jobId: string): Promise<string> {
    const raw = (await this.#redis.xrevrange(this.keys.events(jobId), '+', '-', 'COUNT', 1)) as RawEntry[];
    return raw[0]?.[0] ?? '0-0';
  }

  /** Lets a finished job's history expire after the retention period. */
  async expire(jobId: string, seconds: number): Promise<void> {
    await this.#redis
      .multi()
      .expire(this.keys.events(jobId), seconds)
      .expire(this.keys.seq(jobId), seconds)
      .expire(this.keys.stallReported(jobId), seconds)
      .expire(this.keys.artifacts(jobId), seconds)
      .exec();
  }
}
