// Reads a BullMQ job as the API's JobSummary / JobDetail: from a whole Job, or, for lists, from
// only the fields of its hash a summary needs, so that listing never loads a job's input.

import type { RedisClient } from '@headway/progress';
import {
  JOB_LABEL_FIELD,
  type JobData,
  type JobDetail,
  JobSnapshot,
  type JobSummary,
  statusFromState,
  writeJobLabel,
} from '@headway/progress';
import { Value } from '@sinclair/typebox/value';
import { Job, type Queue } from 'bullmq';

/** What a summary is made of, however it was read. */
interface SummarySource {
  id: string;
  pipeline: string;
  label?: string;
  timestamp: number;
  progress: unknown;
  attemptsStarted: number;
  attempts: number;
  processedOn?: number;
  finishedOn?: number;
  failedReason?: string;
}

/** A job's own fields in BullMQ's hash (`ats` is attemptsStarted), and the label beside them. */
const SUMMARY_FIELDS = ['name', 'timestamp', 'progress', 'ats', 'opts', 'processedOn', 'finishedOn', 'failedReason', JOB_LABEL_FIELD];

/**
 * A job without the label field (made by Bull Board or BullMQ directly, or read in the instant
 * between its creation and the label's write) has its label read from its data, if that is small.
 */
const LABEL_FROM_DATA_MAX_BYTES = 64 * 1024;

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

/** The name a job is shown and searched by: its label, or its pipeline and id. */
export const displayName = (job: { pipeline: string; id: string; label?: string }) => job.label || `${job.pipeline} #${job.id}`;

/**
 * A job's state, and its hash as of that state. They are two reads: a job that finishes between
 * them would read as finished with a running job's fields (no result, no finish time), so such a
 * job is read again; BullMQ writes the state and those fields in one script.
 */
async function settle(queue: Queue, job: Job<JobData>, knownState?: string): Promise<{ job: Job<JobData>; state: string }> {
  if (knownState !== undefined) return { job, state: knownState };
  const state = await job.getState();
  if ((state === 'completed' || state === 'failed') && !job.finishedOn) {
    const again = (await Job.fromId(queue, job.id!)) as Job<JobData> | undefined;
    if (again) return { job: again, state };
  }
  return { job, state };
}

/** The job as a summary, in `knownState` when the caller knows it (else as it is now). */
export async function toJobSummary(queue: Queue, stale: Job<JobData>, knownState?: string): Promise<JobSummary> {
  const { job, state } = await settle(queue, stale, knownState);
  return summarize(job, state);
}

function summarize(job: Job<JobData>, state: string): JobSummary {
  // Data from Bull Board or BullMQ directly may hold anything: only names are shown.
  const actors = Object.fromEntries(
    (['runBy', 'cancelledBy', 'retriedBy'] as const).flatMap((field) => {
      const name: unknown = job.data?.[field];
      return typeof name === 'string' && name ? [[field, name]] : [];
    }),
  );
  const summary = summaryOf(
    {
      id: job.id!,
      pipeline: job.name,
      label: job.data?.label,
      timestamp: job.timestamp,
      progress: job.progress,
      attemptsStarted: job.attemptsStarted,
      attempts: job.opts.attempts ?? 1,
      processedOn: job.processedOn,
      finishedOn: job.finishedOn,
      failedReason: job.failedReason,
    },
    state,
  );
  return { ...summary, ...actors };
}

export async function toJobDetail(queue: Queue, stale: Job<JobData>): Promise<JobDetail> {
  const { job, state } = await settle(queue, stale);
  return {
    ...summarize(job, state),
    input: job.data?.input ?? {},
    ...(job.returnvalue !== undefined && job.returnvalue !== null && { result: job.returnvalue }),
  };
}

/**
 * Writes the job's label beside its data, where lists read it without the input. Best effort:
 * without it, lists read the label from the data.
 */
export async function recordLabel(redis: RedisClient, queue: Queue, job: Job<JobData>): Promise<void> {
  await writeJobLabel(redis, queue.toKey(job.id!), job.data.label ?? '').catch(() => undefined);
}

/** Summaries of the jobs given (in their states), in that order; a job removed meanwhile is left out. */
export async function readJobSummaries(
  redis: RedisClient,
  queue: Queue,
  jobs: readonly { id: string; state: string }[],
): Promise<JobSummary[]> {
  const rows = await hmget(
    redis,
    queue,
    jobs.map((j) => j.id),
    SUMMARY_FIELDS,
  );
  const labels = await readLabels(
    redis,
    queue,
    jobs.map((j, i) => ({ id: j.id, field: rows[i]?.[8] })),
  );
  const summaries: JobSummary[] = [];
  jobs.forEach(({ id, state }, i) => {
    const [name, timestamp, progress, ats, opts, processedOn, finishedOn, failedReason] = rows[i] ?? [];
    if (!name || !timestamp) return;
    summaries.push(
      summaryOf(
        {
          id,
          pipeline: name,
          label: labels[i],
          timestamp: Number(timestamp),
          progress: parseJson(progress),
          attemptsStarted: Number(ats ?? 0),
          attempts: (parseJson(opts) as { attempts?: number } | undefined)?.attempts ?? 1,
          processedOn: processedOn ? Number(processedOn) : undefined,
          finishedOn: finishedOn ? Number(finishedOn) : undefined,
          failedReason: failedReason ?? undefined,
        },
        state,
      ),
    );
  });
  return summaries;
}

/** What the job list orders and filters by, for each job given (undefined: removed meanwhile). */
export async function readJobHeads(
  redis: RedisClient,
  queue: Queue,
  ids: readonly string[],
  { withLabels }: { withLabels: boolean },
): Promise<({ id: string; pipeline: string; timestamp: number; label?: string } | undefined)[]> {
  const rows = await hmget(redis, queue, ids, ['name', 'timestamp', JOB_LABEL_FIELD]);
  const labels = withLabels
    ? await readLabels(
        redis,
        queue,
        ids.map((id, i) => ({ id, field: rows[i]?.[2] })),
      )
    : [];
  return ids.map((id, i) => {
    const [name, timestamp] = rows[i] ?? [];
    return name && timestamp ? { id, pipeline: name, timestamp: Number(timestamp), label: labels[i] } : undefined;
  });
}

async function hmget(redis: RedisClient, queue: Queue, ids: readonly string[], fields: readonly string[]): Promise<(string | null)[][]> {
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hmget(queue.toKey(id), ...fields);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, row]) => {
    if (error) throw error;
    return row as (string | null)[];
  });
}

/** Labels from the label field, or, where a job has none, from its data when that is small. */
async function readLabels(redis: RedisClient, queue: Queue, jobs: readonly { id: string; field: string | null | undefined }[]) {
  const labels = jobs.map(({ field }) => (field === null || field === undefined ? undefined : field || undefined));
  const missing = jobs.flatMap(({ id, field }, i) => (field === null ? [{ id, i }] : []));
  if (missing.length === 0) return labels;
  const sizes = redis.pipeline();
  for (const { id } of missing) sizes.hstrlen(queue.toKey(id), 'data');
  const small = ((await sizes.exec()) ?? []).flatMap(([, size], k) => ((size as number) <= LABEL_FROM_DATA_MAX_BYTES ? [missing[k]!] : []));
  if (small.length === 0) return labels;
  const data = redis.pipeline();
  for (const { id } of small) data.hget(queue.toKey(id), 'data');
  ((await data.exec()) ?? []).forEach(([, raw], k) => {
    const label = (parseJson(raw as string | null) as Partial<JobData> | undefined)?.label;
    if (typeof label === 'string' && label) labels[small[k]!.i] = label;
  });
  return labels;
}

function parseJson(raw: string | null | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function summaryOf(job: SummarySource, state: string): JobSummary {
  const status = statusFromState(state, job.failedReason);
  const snapshot = Value.Check(JobSnapshot, job.progress) ? job.progress : undefined;
  const summary: JobSummary = {
    id: job.id,
    name: displayName(job),
    pipeline: job.pipeline,
    status,
    attempt: Math.max(1, job.attemptsStarted),
    // A job added outside Headway (Bull Board, BullMQ) may say 0: it still runs once.
    attempts: Math.max(1, job.attempts),
    percentage: status === 'completed' ? 100 : (snapshot?.percentage ?? 0),
    createdAt: iso(job.timestamp)!,
  };
  if (snapshot?.stage) summary.stage = snapshot.stage;
  if (snapshot?.phase) summary.phase = snapshot.phase;
  if (snapshot?.iteration !== undefined) summary.iteration = snapshot.iteration;
  if (snapshot?.eta && status === 'active') summary.eta = snapshot.eta;
  if (snapshot?.artifacts !== undefined) summary.artifacts = snapshot.artifacts;
  if (snapshot?.slow && status === 'active') summary.slow = snapshot.slow;
  if (job.processedOn) summary.startedAt = iso(job.processedOn);
  if (job.finishedOn) summary.finishedAt = iso(job.finishedOn);
  if (job.failedReason) summary.failedReason = job.failedReason;
  return summary;
}
