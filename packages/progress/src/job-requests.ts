// Request and response shapes of the jobs REST API.
import { type Static, Type as t } from '@sinclair/typebox';
import { JobSummary } from './job-summary.ts';

export const CreateJobRequest = t.Object({
  pipeline: t.String({ minLength: 1, maxLength: 64, description: 'Name of a pipeline from GET /api/pipelines' }),
  input: t.Optional(t.Record(t.String(), t.Unknown(), { description: 'Without it the pipeline runs on its sample input' })),
  name: t.Optional(t.String({ maxLength: 200, description: 'Display name of the job' })),
  options: t.Optional(
    t.Object({
      attempts: t.Optional(t.Integer({ minimum: 1, maximum: 10 })),
      priority: t.Optional(t.Integer({ minimum: 1, maximum: 1_000_000 })),
    }),
  ),
});
export type CreateJobRequest = Static<typeof CreateJobRequest>;

/** One page of jobs, newest first. */
export const JobPage = t.Object({
  jobs: t.Array(JobSummary),
  total: t.Integer({ description: 'Jobs in the selected statuses, over all pipelines' }),
});
export type JobPage = Static<typeof JobPage>;
