// The job list as `GET /api/jobs` and `/ws/jobs` show it: one page of jobs, newest first, and how
// many jobs are in each status. Reads ids, then what orders and filters them, then summaries of
// the page's jobs only: never a job's data (its input can be hundreds of kilobytes).
import { type JobCounts, type JobListQuery, type JobPage, type JobStatusFilter, matchesText } from '@headway/progress';
import type { Queue } from 'bullmq';
import { displayName, readJobHeads, readJobSummaries } from './job-summary.ts';
import type { Services } from './services.ts';

const STATES = ['active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed'] as const;
const STATES_OF_STATUS: Record<JobStatusFilter, readonly (typeof STATES)[number][]> = {
  active: ['active'],
  waiting: ['waiting', 'prioritized', 'delayed'],
  completed: ['completed'],
  failed: ['failed'],
};

/** With a pipeline or text filter, how many of the newest jobs of each status are searched. */
const SEARCH_WINDOW = 1000;

export async function listJobs({ queue, redis }: Pick<Services, 'queue' | 'redis'>, query: JobListQuery): Promise<JobPage> {
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const states = query.status ? STATES_OF_STATUS[query.status] : STATES;
  const filtered = Boolean(query.pipeline || query.q);
  const window = filtered ? Math.max(SEARCH_WINDOW, offset + limit) : offset + limit;
  const stateOf = new Map<string, string>();
  const idLists = await Promise.all(states.map((state) => queue.getRanges([state], 0, window - 1, false)));
  // A job that moved while the lists were read is in two of them: it keeps the first.
  idLists.forEach((ids, i) => {
    for (const id of ids) if (!stateOf.has(id)) stateOf.set(id, states[i]!);
  });
  const heads = await readJobHeads(redis, queue, [...stateOf.keys()], { withLabels: Boolean(query.q) });
  const matching = heads
    .filter((head) => head !== undefined)
    .filter((head) => !query.pipeline || head.pipeline === query.pipeline)
    .filter((head) => matchesText(query.q, { id: head.id, name: displayName(head), pipeline: head.pipeline }))
    .sort((a, b) => b.timestamp - a.timestamp);
  const page = matching.slice(offset, offset + limit).map(({ id }) => ({ id, state: stateOf.get(id)! }));
  const total = filtered ? matching.length : Object.values(await queue.getJobCounts(...states)).reduce((a, b) => a + b, 0);
  return { jobs: await readJobSummaries(redis, queue, page), total };
}

/** Jobs in each status, over all pipelines. */
export async function countJobs(queue: Queue): Promise<JobCounts> {
  const counts = await queue.getJobCounts(...STATES);
  const sum = (status: JobStatusFilter) => STATES_OF_STATUS[status].reduce((n, state) => n + (counts[state] ?? 0), 0);
  return { waiting: sum('waiting'), active: sum('active'), completed: sum('completed'), failed: sum('failed') };
}
