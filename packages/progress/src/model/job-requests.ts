// Request and response shapes of the jobs REST API.
import { type Static, Type as t } from '@sinclair/typebox';
import { JobSummary } from './job-summary.ts';

/** Request bodies refuse fields they do not name (422), rather than dropping them unread. */
const strict = { additionalProperties: false } as const;

export const CreateJobRequest = t.Object(
  {
    pipeline: t.String({ minLength: 1, maxLength: 64, description: 'Name of a pipeline from GET /api/pipelines' }),
    input: t.Optional(
      t.Record(t.String(), t.Unknown(), {
        description: "Without it the pipeline runs on its sample input; at most the pipeline's maxInputBytes as JSON",
      }),
    ),
    name: t.Optional(t.String({ maxLength: 200, description: 'Display name of the job' })),
    options: t.Optional(
      t.Object(
        {
          attempts: t.Optional(t.Integer({ minimum: 1, maximum: 10 })),
          priority: t.Optional(t.Integer({ minimum: 1, maximum: 1_000_000 })),
        },
        strict,
      ),
    ),
  },
  strict,
);
export type CreateJobRequest = Static<typeof CreateJobRequest>;

/** `POST /api/jobs/:id/cancel`; the reason ends up in the job's status event and failedReason. */
export const CancelJobRequest = t.Object(
  { reason: t.Optional(t.String({ minLength: 1, maxLength: 200, description: 'Why; shown as "Cancelled: <reason>"' })) },
  strict,
);
export type CancelJobRequest = Static<typeof CancelJobRequest>;

/** `POST /api/jobs/:id/retry`; with `attempt`, only that attempt's failure is retried (409 otherwise). */
export const RetryJobRequest = t.Object({
  attempt: t.Optional(t.Integer({ minimum: 1, description: "The attempt the caller saw fail (the job's `attempt`)" })),
});
export type RetryJobRequest = Static<typeof RetryJobRequest>;

/** One page of jobs, newest first. */
export const JobPage = t.Object({
  jobs: t.Array(JobSummary),
  total: t.Integer({
    description: 'Jobs in the selected statuses; with `pipeline` or `q`, those that match among the newest 1000 of each status',
  }),
});
export type JobPage = Static<typeof JobPage>;

/** The statuses a job list can be filtered by (BullMQ's delayed and prioritized jobs are `waiting`). */
export const JobStatusFilter = t.Union([t.Literal('waiting'), t.Literal('active'), t.Literal('completed'), t.Literal('failed')]);
export type JobStatusFilter = Static<typeof JobStatusFilter>;

/** How far into a job list a page may start: deeper pages would read that many ids per status. */
export const MAX_JOB_LIST_OFFSET = 10_000;

/**
 * Filters and paging of `GET /api/jobs` and `/ws/jobs`. `t.Number` with `multipleOf` rather than
 * `t.Integer`: Elysia coerces query strings only to numbers.
 */
export const JobListQuery = t.Object({
  status: t.Optional(JobStatusFilter),
  pipeline: t.Optional(t.String({ maxLength: 64 })),
  q: t.Optional(t.String({ maxLength: 100, description: 'Text in the job’s id, name or pipeline (any case)' })),
  // `error`: Elysia loses the path of a number coerced from a query string, so the message names it.
  limit: t.Optional(t.Number({ minimum: 1, maximum: 200, multipleOf: 1, error: '/limit: an integer from 1 to 200' })),
  offset: t.Optional(
    t.Number({ minimum: 0, maximum: MAX_JOB_LIST_OFFSET, multipleOf: 1, error: `/offset: an integer from 0 to ${MAX_JOB_LIST_OFFSET}` }),
  ),
});
export type JobListQuery = Static<typeof JobListQuery>;
