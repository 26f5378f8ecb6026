// REST for jobs: create one on a pipeline, list them, read one.
import {
  CreateJobRequest,
  findPipeline,
  HeadwayError,
  isJobId,
  JOB_ID_PATTERN,
  type JobData,
  type JobPage,
  pipelines,
  validateInput,
} from '@headway/progress';
import type { Job } from 'bullmq';
import { Elysia, t } from 'elysia';
import { toJobDetail, toJobSummary } from '../job-summary.ts';
import type { Services } from '../services.ts';

const STATES = ['active', 'waiting', 'prioritized', 'delayed', 'completed', 'failed'] as const;
const STATES_OF_STATUS: Record<string, readonly (typeof STATES)[number][]> = {
  active: ['active'],
  waiting: ['waiting', 'prioritized', 'delayed'],
  completed: ['completed'],
  failed: ['failed'],
};

export const jobRoutes = (services: Services) =>
  new Elysia({ name: 'jobs', prefix: '/api/jobs' })
    .post(
      '/',
      async ({ body, set }) => {
        const spec = findPipeline(body.pipeline);
        if (!spec) {
          const known = pipelines.map((p) => p.name).join(', ');
          throw new HeadwayError(404, 'UNKNOWN_PIPELINE', `Unknown pipeline "${body.pipeline}"; known: ${known}`);
        }
        const input = body.input ?? spec.sampleInput;
        const checked = validateInput(spec.inputSchema, input);
        if (!checked.ok) {
          throw new HeadwayError(422, 'VALIDATION', `Invalid input for ${spec.name}: ${checked.problems[0]}`, {
            details: checked.problems,
          });
        }
        const data: JobData = { input, ...(body.name && { label: body.name }) };
        const job = await services.queue.add(spec.name, data, {
          attempts: body.options?.attempts ?? 1,
          ...(body.options?.priority && { priority: body.options.priority }),
          removeOnComplete: { age: services.retentionSeconds },
          removeOnFail: { age: services.retentionSeconds },
        });
        set.status = 201;
        return toJobSummary(job, 'waiting');
      },
      { body: CreateJobRequest },
    )
    .get(
      '/',
      async ({ query }): Promise<JobPage> => {
        const limit = query.limit ?? 50;
        const offset = query.offset ?? 0;
        const states = query.status ? STATES_OF_STATUS[query.status]! : STATES;
        const lists = await Promise.all(
          states.map(async (state) => {
            const jobs = (await services.queue.getJobs([state], 0, offset + limit - 1, false)) as Job<JobData>[];
            return jobs.filter(Boolean).map((job) => ({ job, state }));
          }),
        );
        const matching = lists
          .flat()
          .filter(({ job }) => !query.pipeline || job.name === query.pipeline)
          .sort((a, b) => b.job.timestamp - a.job.timestamp);
        const page = matching.slice(offset, offset + limit);
        const counts = await services.queue.getJobCounts(...states);
        return {
          jobs: await Promise.all(page.map(({ job, state }) => toJobSummary(job, state))),
          total: Object.values(counts).reduce((a, b) => a + b, 0),
        };
      },
      {
        // Elysia's `t` here (not the model's TypeBox): it coerces query strings to numbers.
        query: t.Object({
          status: t.Optional(t.Union(Object.keys(STATES_OF_STATUS).map((s) => t.Literal(s)))),
          pipeline: t.Optional(t.String({ maxLength: 64 })),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 200 })),
          offset: t.Optional(t.Integer({ minimum: 0, maximum: 100_000 })),
        }),
      },
    )
    .get(
      '/:id',
      async ({ params }) => toJobDetail(await loadJob(services, params.id)),
      { params: t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }) }) },
    );

export async function loadJob(services: Services, id: string): Promise<Job<JobData>> {
  const job = isJobId(id) ? ((await services.queue.getJob(id)) as Job<JobData> | undefined) : undefined;
  if (!job) throw new HeadwayError(404, 'JOB_NOT_FOUND', `No job with id "${id}"`);
  return job;
}
