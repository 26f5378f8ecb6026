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

export const matchesJobList = (query: JobListQuery, job: JobSummary): boolean =>
  (!query.status || job.status === query.status) && (!query.pipeline || job.pipeline === query.pipeline);

export function totalOf(query: JobListQuery, counts: JobCounts): number {
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
  const total = totalOf(query, message.counts);
  const id = message.type === 'job' ? message.job.id : message.id;
  const index = view.jobs.findIndex((j) => j.id === id);
  if (message.type === 'job_removed' || !matchesJobList(query, message.job)) {
    return { jobs: index < 0 ? view.jobs : view.jobs.filter((_, i) => i !== index), total };
  }
  const { job } = message;
  if (index >= 0) return { jobs: view.jobs.map((j, i) => (i === index ? job : j)), total };
  const limit = query.limit ?? DEFAULT_JOB_LIMIT;
  if (query.offset) return { jobs: view.jobs, total };
  const jobs = [...view.jobs, job].sort(newerFirst);
  return { jobs: jobs.slice(0, limit), total };
}
