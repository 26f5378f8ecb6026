// REST for jobs: create one on a pipeline, list them, read one.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateJobRequest,
  cancelledReason,
  DEFAULT_MAX_INPUT_BYTES,
  HeadwayError,
  isIdempotencyKey,
  isJobId,
  JOB_ID_PATTERN,
  type JobData,
  JobDetail,
  JobListQuery,
  JobPage,
  JobSummary,
  jobIdForIdempotencyKey,
  mayHaveRun,
  type PipelineSpec,
  REQUEST_COMMAND_TIMEOUT_MS,
  serverLog,
  validateInput,
} from '@headway/progress';
import type { Job, JobsOptions } from 'bullmq';
import { Elysia, t } from 'elysia';
import { cancelJob } from '../cancel-job.ts';
import { errorResponses } from '../error-handler.ts';
import { listJobs } from '../job-list.ts';
import { recordLabel, toJobDetail, toJobSummary } from '../job-summary.ts';
import type { Services } from '../services.ts';

export const jobRoutes = (services: Services) =>
  new Elysia({ name: 'jobs', prefix: '/api/jobs' })
    .post(
      '',
      async ({ body, headers, request, set }) => {
        const spec = services.pipelines.get(body.pipeline)?.spec;
        if (!spec) {
          const known = services.pipelines.names.join(', ');
          throw new HeadwayError(404, 'UNKNOWN_PIPELINE', `Unknown pipeline "${body.pipeline}"; known: ${known}`);
        }
        const input = body.input ?? spec.sampleInput;
        checkInputSize(spec, input);
        const checked = validateInput(spec.inputSchema, input);
        if (!checked.ok) {
          throw new HeadwayError(422, 'VALIDATION', `Invalid input for ${spec.name}: ${checked.problems[0]}`, {
            details: checked.problems,
          });
        }
        const runBy = services.access.actorOf(request);
        const data: JobData = { input, ...(body.name && { label: body.name }), ...(runBy && { runBy }) };
        const jobId = idempotentJobId(headers['idempotency-key']);
        const job = await addJob(services, spec.name, data, {
          attempts: body.options?.attempts ?? 1,
          ...(body.options?.priority && { priority: body.options.priority }),
          removeOnComplete: { age: services.retentionSeconds },
          removeOnFail: { age: services.retentionSeconds },
          ...(jobId && { jobId }),
        });
        if (jobId) {
          // BullMQ adds nothing for an id that exists: the stored job is this one or an earlier one.
          const stored = await loadJob(services, jobId);
          if (stored.timestamp !== job.timestamp) {
            if (stored.name !== job.name || JSON.stringify(asked(stored.data)) !== JSON.stringify(asked(job.data))) {
              throw new HeadwayError(409, 'CONFLICT', `This Idempotency-Key was used for another request (job ${jobId}); use a new key`);
            }
            set.status = 200;
            return toJobSummary(services.queue, stored);
          }
        }
        await recordLabel(services.redis, services.queue, job);
        set.status = 201;
        return toJobSummary(services.queue, job, 'waiting');
      },
      {
        body: CreateJobRequest,
        parse: 'json',
        // 201 created; 200 an Idempotency-Key's earlier job. 404 an unknown pipeline; 409 a key reused.
        response: { 200: JobSummary, 201: JobSummary, ...errorResponses(400, 401, 404, 409, 413, 415, 422, 503) },
      },
    )
    .get('', ({ query }) => listJobs(services, query), {
      query: JobListQuery,
      response: { 200: JobPage, ...errorResponses(401, 422, 503) },
    })
    .get('/:id', async ({ params }) => toJobDetail(services.queue, await loadJob(services, params.id)), {
      params: t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }) }),
      response: { 200: JobDetail, ...errorResponses(401, 404, 422, 503) },
    });

/** What a create asked for, beside what later cancels and retries record in the job's data. */
const asked = ({ input, label, runBy }: JobData) => ({ input, label, runBy });

/** The job id an `Idempotency-Key` header names, or undefined without one. */
function idempotentJobId(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!isIdempotencyKey(key)) {
    throw new HeadwayError(422, 'VALIDATION', 'Idempotency-Key must be 1 to 255 letters, digits or . _ : ~ + / = -');
  }
  return jobIdForIdempotencyKey(key);
}

/**
 * Adds the job, waiting at most REQUEST_COMMAND_TIMEOUT_MS for Redis. A create sent but not
 * answered may still run when Redis answers again (a frozen server runs what it was sent when it
 * resumes). With an Idempotency-Key the client finds that job by retrying with the key; without
 * one nobody could, so the job is cancelled as soon as Redis says it was created.
 */
async function addJob(services: Services, name: string, data: JobData, options: JobsOptions): Promise<Job<JobData>> {
  const adding = services.creates.add(name, data, options) as Promise<Job<JobData>>;
  const answered = new AbortController();
  const deadline = sleep(REQUEST_COMMAND_TIMEOUT_MS, undefined, { signal: answered.signal }).catch(() => undefined);
  const job = await Promise.race([adding, deadline])
    .catch((error) => {
      throw createFailed(error, options.jobId);
    })
    .finally(() => answered.abort());
  if (job) return job;
  if (!options.jobId) adding.then((late) => withdrawLateCreate(services, late)).catch(() => undefined);
  throw createFailed(new Error('Command timed out'), options.jobId);
}

async function withdrawLateCreate(services: Services, job: Job<JobData>): Promise<void> {
  serverLog.warn('api', `job ${job.id} was created after its request had timed out (503); cancelling it`);
  await cancelJob(services, job, cancelledReason(LATE_CREATE));
}

const LATE_CREATE = 'Redis created it after its request had timed out, and the client was told it failed (503)';

function createFailed(error: unknown, jobId: string | undefined): unknown {
  if (!mayHaveRun(error)) return error;
  const message = jobId
    ? `Redis did not answer in time; the job may still be created, as ${jobId}. Send the same request with the same Idempotency-Key to learn its outcome: it never creates a second job`
    : 'Redis did not answer in time; if it creates the job later, that job is cancelled at once, so try again. An Idempotency-Key header makes retrying safe: a create with the same key never makes a second job';
  return new HeadwayError(503, 'UNAVAILABLE', message, { cause: error, ...(jobId && { details: { jobId } }) });
}

/** A job keeps its input in Redis until it is removed: each pipeline caps its size. */
function checkInputSize(spec: PipelineSpec, input: Record<string, unknown>): void {
  const max = spec.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const size = Buffer.byteLength(JSON.stringify(input));
  if (size > max) {
    throw new HeadwayError(
      413,
      'PAYLOAD_TOO_LARGE',
      `The input is ${size} bytes as JSON; pipeline "${spec.name}" takes at most ${max} (its maxInputBytes)`,
    );
  }
}

export async function loadJob(services: Pick<Services, 'queue'>, id: string): Promise<Job<JobData>> {
  const job = isJobId(id) ? ((await services.queue.getJob(id)) as Job<JobData> | undefined) : undefined;
  if (!job) throw new HeadwayError(404, 'JOB_NOT_FOUND', `No job with id "${id}"`);
  return job;
}
