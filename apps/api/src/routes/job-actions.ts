// `POST /api/jobs/:id/cancel` (cancel-job.ts) and `POST /api/jobs/:id/retry`. A retry puts a failed
// or cancelled job back in the queue under the same id: its viewers see the next attempt in the
// same event stream.
import {
  CancelJobRequest,
  cancelledReason,
  HeadwayError,
  JOB_ID_PATTERN,
  type JobData,
  JobSummary,
  mayHaveRun,
  RetryJobRequest,
  statusEvent,
  statusFromState,
} from '@headway/progress';
import type { Job } from 'bullmq';
import { Elysia, t } from 'elysia';
import { cancelJob, stateOf } from '../cancel-job.ts';
import { errorResponses } from '../error-handler.ts';
import { toJobSummary } from '../job-summary.ts';
import type { Services } from '../services.ts';
import { loadJob } from './jobs.ts';

const params = t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }) });

export const jobActionRoutes = (services: Services) =>
  new Elysia({ name: 'job-actions', prefix: '/api/jobs' })
    .post(
      '/:id/cancel',
      async ({ params, body, request, set }) => {
        const job = await loadJob(services, params.id);
        const actor = services.access.actorOf(request);
        const ended = await cancelJob(services, job, cancelledReason(body?.reason, actor), actor);
        // 200: it has ended cancelled; 202: the worker running it has been asked to stop.
        set.status = ended ? 200 : 202;
        // The job as this cancel left it, not a fresh read: a worker may end it, or a retry put it
        // back in the queue, before a fresh read would finish.
        return toJobSummary(services.queue, job, ended ? 'failed' : 'active');
      },
      {
        params,
        body: t.Optional(CancelJobRequest),
        parse: 'json',
        // 409: the job has finished already.
        response: { 200: JobSummary, 202: JobSummary, ...errorResponses(400, 401, 404, 409, 413, 415, 422, 503) },
      },
    )
    .post(
      '/:id/retry',
      // As POST /api/jobs answers: the job as queued (a worker may have picked it up already).
      async ({ params, body, request }) =>
        toJobSummary(
          services.queue,
          await retryJob(services, await loadJob(services, params.id), body?.attempt, services.access.actorOf(request)),
          'waiting',
        ),
      {
        params,
        body: t.Optional(RetryJobRequest),
        parse: 'json',
        // 409: the job is not failed or cancelled, or another retry of this failure came first.
        response: { 200: JobSummary, ...errorResponses(400, 401, 404, 409, 413, 415, 422, 503) },
      },
    );

/**
 * Puts a failed or cancelled job back in the queue (BullMQ's `job.retry`, attempts kept: the run
 * is the job's next attempt, and retries left from its `attempts` option still apply). One step
 * decides among concurrent retries: the claim of this failure (EventStream.claimRetry), which also
 * writes the `retrying` event, so it precedes everything the next attempt writes. `seen` is the
 * attempt the caller saw; another one is a conflict.
 */
async function retryJob(services: Services, job: Job<JobData>, seen?: number, actor?: string): Promise<Job<JobData>> {
  const id = job.id!;
  const state = await stateOf(job);
  const status = statusFromState(state, job.failedReason);
  if (state !== 'failed') {
    throw new HeadwayError(409, 'CONFLICT', `Job ${id} is ${status}; only a failed or cancelled job can be retried`);
  }
  // The state is read after the job: one read before its first failure is not a failed job's.
  if (job.attemptsMade < 1) {
    throw new HeadwayError(409, 'CONFLICT', `Job ${id} had not failed yet when read; only a failed or cancelled job can be retried`);
  }
  const attempt = Math.max(1, job.attemptsStarted);
  if (seen !== undefined && seen !== attempt) {
    throw new HeadwayError(409, 'CONFLICT', `Job ${id} is at attempt ${attempt}, not ${seen}; look at it again before retrying`);
  }
  const reason = job.failedReason;
  // attemptsMade grows every time the job lands in the failed set, so it names this failure.
  const failure = job.attemptsMade;
  const by = actor ? `Retried by ${actor}` : 'Retried by request';
  const retrying = statusEvent(id, attempt, 'retrying', `${by}: back in the queue for attempt ${job.attemptsStarted + 1}`);
  if (!(await services.stream.claimRetry(id, failure, retrying))) {
    throw new HeadwayError(409, 'CONFLICT', `Job ${id}'s attempt ${attempt} is being retried already`);
  }
  try {
    // Recorded before it is back in the queue, where a worker could read the job at once.
    if (actor) await job.updateData({ ...job.data, retriedBy: actor });
    await job.retry('failed');
  } catch (error) {
    const now = await job.getState().catch(() => undefined);
    if (now === 'unknown') throw new HeadwayError(404, 'JOB_NOT_FOUND', `No job with id "${id}"`, { cause: error });
    // Moved out of the failed set some other way (Bull Board): it is back in the queue, as the event says.
    if (now && now !== 'failed') throw new HeadwayError(409, 'CONFLICT', `Job ${id} is being retried already`, { cause: error });
    // Sent but unanswered: Redis may still move it, after which the event is right. If it does
    // not, the claim lapses by itself (RETRY_CLAIM_TTL_SECONDS).
    if (mayHaveRun(error)) throw error;
    // Still failed: its history says so again and the failure can be retried again (best effort:
    // Redis may be what failed, and then the claim lapses by itself).
    const again = statusEvent(id, attempt, status, reason ?? undefined);
    await services.stream.releaseRetry(id, failure, again, services.retentionSeconds).catch(() => undefined);
    throw error;
  }
  return job;
}
