// The job list as `GET /api/jobs` and `/ws/jobs` show it: one page of jobs, newest first, and how
// many jobs are in each status.
import { type JobCounts, type JobData, type JobListQuery, type JobPage, type JobStatusFilter, matchesText } from '@headway/progress';
import type { Job, Queue } from 'bullmq';
import { displayName, toJobSummary } from './job-summary.ts';

const STATES = ['active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed'] as const;
const STATES_OF_STATUS: Record<JobStatusFilter, readonly (typeof STATES)[number][]> = {
  active: ['active'],
  waiting: ['waiting', 'prioritized', 'delayed'],
  completed: ['completed'],
  failed: ['failed'],
};

/** With a pipeline or text filter, how many of the newest jobs of each status are searched. */
const SEARCH_WINDOW = 1000;

export async function listJobs(queue: Queue, query: JobListQuery): Promise<JobPage> {
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const states = query.status ? STATES_OF_STATUS[query.status] : STATES;
  const filtered = Boolean(query.pipeline || query.q);
  const window = filtered ? Math.max(SEARCH_WINDOW, offset + limit) : offset + limit;
  const lists = await Promise.all(
    states.map(async (state) => {
      const jobs = (await queue.getJobs([state], 0, window - 1, false)) as Job<JobData>[];
      return jobs.filter(Boolean).map((job) => ({ job, state }));
    }),
  );
  const matching = lists
    .flat()
    .filter(({ job }) => !query.pipeline || job.name === query.pipeline)
    .filter(({ job }) => matchesText(query.q, { id: job.id!, name: displayName(job), pipeline: job.name }))
    .sort((a, b) => b.job.timestamp - a.job.timestamp);
  const page = matching.slice(offset, offset + limit);
  const total = filtered ? matching.length : Object.values(await queue.getJobCounts(...states)).reduce((a, b) => a + b, 0);
  return { jobs: await Promise.all(page.map(({ job, state }) => toJobSummary(job, state))), total };
}

/** Jobs in each status, over all pipelines. */
export async function countJobs(queue: Queue): Promise<JobCounts> {
  const counts = await queue.getJobCounts(...STATES);
  const sum = (status: JobStatusFilter) => STATES_OF_STATUS[status].reduce((n, state) => n + (counts[state] ?? 0), 0);
  return { waiting: sum('waiting'), active: sum('active'), completed: sum('completed'), failed: sum('failed') };
}
