// Reads a BullMQ job as the API's JobSummary / JobDetail.
import { type JobData, type JobDetail, JobSnapshot, type JobSummary, statusFromState } from '@headway/progress';
import { Value } from '@sinclair/typebox/value';
import type { Job } from 'bullmq';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

/** The name a job is shown and searched by: its label, or its pipeline and id. */
export const displayName = (job: Job<JobData>) => job.data?.label || `${job.name} #${job.id}`;

export async function toJobSummary(job: Job<JobData>, knownState?: string): Promise<JobSummary> {
  const state = knownState ?? (await job.getState());
  const status = statusFromState(state, job.failedReason);
  const snapshot = Value.Check(JobSnapshot, job.progress) ? job.progress : undefined;
  const summary: JobSummary = {
    id: job.id!,
    name: displayName(job),
    pipeline: job.name,
    status,
    attempt: Math.max(1, job.attemptsStarted),
    attempts: job.opts.attempts ?? 1,
    percentage: status === 'completed' ? 100 : (snapshot?.percentage ?? 0),
    createdAt: iso(job.timestamp)!,
  };
  if (snapshot?.stage) summary.stage = snapshot.stage;
  if (snapshot?.phase) summary.phase = snapshot.phase;
  if (snapshot?.iteration !== undefined) summary.iteration = snapshot.iteration;
  if (snapshot?.eta && status === 'active') summary.eta = snapshot.eta;
  if (job.processedOn) summary.startedAt = iso(job.processedOn);
  if (job.finishedOn) summary.finishedAt = iso(job.finishedOn);
  if (job.failedReason) summary.failedReason = job.failedReason;
  return summary;
}

export async function toJobDetail(job: Job<JobData>): Promise<JobDetail> {
  const summary = await toJobSummary(job);
  return {
    ...summary,
    input: job.data?.input ?? {},
    ...(job.returnvalue !== undefined && job.returnvalue !== null && { result: job.returnvalue }),
  };
}
