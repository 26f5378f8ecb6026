// Messages of the WebSocket `/ws/jobs?status=&pipeline=&limit=&offset=`: a `jobs` snapshot of the
// list (the page `GET /api/jobs` would answer), then a `job` or `job_removed` message whenever a
// job changes. Updates are not filtered by the server: the client drops those outside its filter.
import { type Static, Type as t } from '@sinclair/typebox';
import { JobSummary } from './job-summary.ts';
import { ErrorMessage } from './messages.ts';

/** Jobs in each status over all pipelines, so a client keeps the total of its own filter right. */
export const JobCounts = t.Object({
  waiting: t.Integer({ minimum: 0 }),
  active: t.Integer({ minimum: 0 }),
  completed: t.Integer({ minimum: 0 }),
  failed: t.Integer({ minimum: 0 }),
});
export type JobCounts = Static<typeof JobCounts>;

/** First message: one page of jobs, newest first, and the total in the selected statuses. */
export const JobsMessage = t.Object({
  type: t.Literal('jobs'),
  jobs: t.Array(JobSummary),
  total: t.Integer({ minimum: 0 }),
});
/** A job was created or changed (status, percentage, stage, ETA): the job as it is now. */
export const JobMessage = t.Object({ type: t.Literal('job'), job: JobSummary, counts: JobCounts });
/** A job is gone from the queue. */
export const JobRemovedMessage = t.Object({ type: t.Literal('job_removed'), id: t.String(), counts: JobCounts });

export const JobListServerMessage = t.Union([JobsMessage, JobMessage, JobRemovedMessage, ErrorMessage]);
export type JobListServerMessage = Static<typeof JobListServerMessage>;
export type JobsMessage = Static<typeof JobsMessage>;
export type JobMessage = Static<typeof JobMessage>;
export type JobRemovedMessage = Static<typeof JobRemovedMessage>;
