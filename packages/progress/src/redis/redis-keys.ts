// Every Redis key and channel name Headway uses. A job's keys hash-tag its id, so one job's
// keys share a Redis Cluster slot and the multi-key Lua scripts stay legal there.

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
  /** The job's `seq` counter, incremented with every XADD in one script. */
  seq(jobId: string): string;
  /** Set when someone asks to cancel the job; the worker that starts or runs it honours it. */
  cancelRequest(jobId: string): string;
  /** The highest attempt whose stall is in the job's stream, so it is reported once. */
  stallReported(jobId: string): string;
  /** The job's artifact events, an index beside its stream (append-events-4.lua). */
  artifacts(jobId: string): string;
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
}

export function redisKeys(prefix = 'hw'): RedisKeys {
  return {
    queuePrefix: prefix,
    queueName: QUEUE_NAME,
    webhookQueueName: WEBHOOK_QUEUE_NAME,
    events: (jobId) => `${prefix}:job:{${jobId}}:events`,
    seq: (jobId) => `${prefix}:job:{${jobId}}:seq`,
    cancelRequest: (jobId) => `${prefix}:job:{${jobId}}:cancel`,
    stallReported: (jobId) => `${prefix}:job:{${jobId}}:stall-reported`,
    artifacts: (jobId) => `${prefix}:job:{${jobId}}:artifacts`,
    retryClaim: (jobId) => `${prefix}:job:{${jobId}}:retry-claim`,
    history: (pipeline) => `${prefix}:history:${pipeline}`,
    session: (idDigest) => `${prefix}:session:${idDigest}`,
    signInFailures: (client) => `${prefix}:sign-in-failures:${client}`,
    control: `${prefix}:control`,
    shareKey: `${prefix}:share-key`,
    jobListLastEventId: `${prefix}:job-list:last-event-id`,
    artifactSweepLock: `${prefix}:artifact-sweep:lock`,
  };
}

/**
 * A field Headway adds to BullMQ's hash of a job it creates: the job's display label, which job
 * lists read without loading the job's data (its input). It goes when BullMQ removes the job.
 */
export const JOB_LABEL_FIELD = 'hw:label';
