// The job list a `/ws/jobs` client shows, folded from the socket's messages: upserts by id, jobs
// outside the client's filter dropped, newest first, at most `limit` of them. Types only, so the
// web app bundles it without the rest of the package.
import type { JobCounts, JobListServerMessage } from './job-list-messages.ts';
import type { JobListQuery } from './job-requests.ts';
import type { JobSummary } from './job-summary.ts';

export interface JobListView {
  /** Newest first. */
  jobs: JobSummary[];
  /** Jobs in the selected statuses over all pipelines, as `GET /api/jobs` counts them. */
  total: number;
}

export const DEFAULT_JOB_LIMIT = 50;

/** Whether a job's id, name or pipeline contains the search text, in any case. */
export const matchesText = (q: string | undefined, job: Pick<JobSummary, 'id' | 'name' | 'pipeline'>): boolean => {
  if (!q) return true;
  const needle = q.toLowerCase();
  return [job.id, job.name, job.pipeline].some((field) => field.toLowerCase().includes(needle));
};

/** BullMQ keeps a cancelled job as failed, so the `failed` filter shows both, as the server lists them. */
const matchesStatus = (filter: JobListQuery['status'], status: JobSummary['status']) =>
  !filter || status === filter || (filter === 'failed' && status === 'cancelled');

export const matchesJobList = (query: JobListQuery, job: JobSummary): boolean =>
  matchesStatus(query.status, job.status) && (!query.pipeline || job.pipeline === query.pipeline) && matchesText(query.q, job);

/** The list's total after a change, from the queue's counts; undefined when they cannot tell (filtered by pipeline or text). */
function totalOf(query: JobListQuery, counts: JobCounts): number | undefined {
  if (query.pipeline || query.q) return undefined;
  return query.status ? counts[query.status] : counts.waiting + counts.active + counts.completed + counts.failed;
}

const newerFirst = (a: JobSummary, b: JobSummary) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/**
 * The view after one message. A `job` already shown is replaced in place; a new one that matches
 * is inserted by creation time, and only on the first page (`offset` 0): on a later page it
 * would shift every row, which the next snapshot shows instead.
 */
export function applyJobListMessage(
  view: JobListView | undefined,
  message: JobListServerMessage,
  query: JobListQuery = {},
): JobListView | undefined {
  if (message.type === 'jobs') return { jobs: message.jobs, total: message.total };
  if (!view || message.type === 'error') return view;
  const counted = totalOf(query, message.counts);
  const id = message.type === 'job' ? message.job.id : message.id;
  const index = view.jobs.findIndex((j) => j.id === id);
  if (message.type === 'job_removed' || !matchesJobList(query, message.job)) {
    if (index < 0) return { jobs: view.jobs, total: counted ?? view.total };
    return { jobs: view.jobs.filter((_, i) => i !== index), total: counted ?? Math.max(0, view.total - 1) };
  }
  const { job } = message;
  if (index >= 0) return { jobs: view.jobs.map((j, i) => (i === index ? job : j)), total: counted ?? view.total };
  const limit = query.limit ?? DEFAULT_JOB_LIMIT;
  const total = counted ?? view.total + 1;
  if (query.offset) return { jobs: view.jobs, total };
  const jobs = [...view.jobs, job].sort(newerFirst);
  return { jobs: jobs.slice(0, limit), total };
}
