// Every Redis key and channel name Headway uses. A job's keys hash-tag its id, so one job's
// keys share a Redis Cluster slot (the multi-key Lua scripts stay legal there) and different
// jobs spread over every master. BullMQ's keys take the queue prefix as is: on a cluster it must
// be a hash tag (`{hw}`), so one queue's keys share a slot, as BullMQ's scripts need.

export const QUEUE_NAME = 'pipelines';
/** BullMQ queue of webhook deliveries (webhook-outbox.ts), beside the jobs' queue under the same prefix. */
export const WEBHOOK_QUEUE_NAME = 'webhooks';

export interface RedisKeys {
  /** BullMQ's own `prefix` option: its keys are `<prefix>:pipelines:…`. */
  readonly queuePrefix: string;
  readonly queueName: string;
  readonly webhookQueueName: string;
  /** The job's event stream; entry ids are the cursors clients resume from. */
  events(jobId: string): string;
  /** Sharded pub/sub channel rung (SPUBLISH) with the newest entry id each time the job's stream grows. */
  live(jobId: string): string;
  /** The job's `seq` counter, incremented with every XADD in one script. */
  seq(jobId: string): string;
  /** Set when someone asks to cancel the job; the worker that starts or runs it honours it. */
  cancelRequest(jobId: string): string;
  /** The highest attempt whose stall is in the job's stream, so it is reported once. */
  stallReported(jobId: string): string;
  /** The job's artifact events, an index beside its stream (append-events-7.lua). */
  artifacts(jobId: string): string;
  /** The job's recently written batches (id → reply), so a batch retried after a lost reply is written once. */
  batches(jobId: string): string;
  /** The newest failure of the job whose retry was claimed, so concurrent retries run it once. */
  retryClaim(jobId: string): string;
  /** Finished jobs of a pipeline, newest first, for the ETA estimator. */
  history(pipeline: string): string;
  /** A dashboard session (by the SHA-256 of its id): the digest of the API token it was opened with. */
  session(idDigest: string): string;
  /** Failed sign-ins from one client in the current window. */
  signInFailures(client: string): string;
  /** The key share links are signed with when SHARE_KEY is not set: made once, replaced to revoke every link. */
  readonly shareKey: string;
  /** Pub/sub channel from API processes to every worker (cancel requests). */
  readonly control: string;
  /** Held (SET NX EX) by the API sweeping expired jobs' artifacts, so one API sweeps per interval. */
  readonly artifactSweepLock: string;
  /** Id of the newest BullMQ queue event the job-list feed has published, where a restarted API resumes. */
  readonly jobListLastEventId: string;
  /** Held (SET NX PX) by the one API that follows the queue's events and writes the job-list feed. */
  readonly jobListWriter: string;
  /** The job-list messages (a job as it is now, or its removal) the writer adds and every API reads. */
  readonly jobListFeed: string;
}

/** The hash tag of a key (what Redis Cluster hashes), or undefined when the whole key is hashed. */
export function hashTag(key: string): string | undefined {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

/**
 * `prefix` is QUEUE_PREFIX. Headway's own keys use it without braces (`{hw}` gives `hw:…`), so
 * the job id stays the only hash tag of a job's keys; the default `hw` gives the same keys as
 * before clusters were supported.
 */
export function redisKeys(prefix = 'hw'): RedisKeys {
  const ns = prefix.replace(/[{}]/g, '');
  const job = (jobId: string, what: string) => `${ns}:job:{${jobId}}:${what}`;
  return {
    queuePrefix: prefix,
    queueName: QUEUE_NAME,
    webhookQueueName: WEBHOOK_QUEUE_NAME,
    events: (jobId) => job(jobId, 'events'),
    live: (jobId) => job(jobId, 'live'),
    seq: (jobId) => job(jobId, 'seq'),
    cancelRequest: (jobId) => job(jobId, 'cancel'),
    stallReported: (jobId) => job(jobId, 'stall-reported'),
    artifacts: (jobId) => job(jobId, 'artifacts'),
    batches: (jobId) => job(jobId, 'batches'),
    retryClaim: (jobId) => job(jobId, 'retry-claim'),
    history: (pipeline) => `${ns}:history:${pipeline}`,
    session: (idDigest) => `${ns}:session:${idDigest}`,
    signInFailures: (client) => `${ns}:sign-in-failures:${client}`,
    control: `${ns}:control`,
    shareKey: `${ns}:share-key`,
    // Beside BullMQ's events stream it points into (same slot), so both fail over together.
    jobListLastEventId: `${prefix}:job-list:last-event-id`,
    jobListWriter: `${prefix}:job-list:writer`,
    jobListFeed: `${prefix}:job-list:feed`,
    artifactSweepLock: `${ns}:artifact-sweep:lock`,
  };
}

/**
 * A field Headway adds to BullMQ's hash of a job it creates: the job's display label, which job
 * lists read without loading the job's data (its input). It goes when BullMQ removes the job.
 */
export const JOB_LABEL_FIELD = 'hw:label';
