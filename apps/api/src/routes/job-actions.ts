// `POST /api/jobs/:id/cancel` and `POST /api/jobs/:id/retry`. A waiting job is cancelled here and
// at once; a running one by the worker running it, on any host, told over the control channel
// (packages/progress cancel-requests.ts). A retry puts a failed or cancelled job back in the queue
// under the same id: its viewers see the next attempt in the same event stream.
import {
  CancelJobRequest,
  cancelledReason,
  cancelledWhy,
  HeadwayError,
  JOB_ID_PATTERN,
  type JobData,
  statusEvent,
  statusFromState,
} from '@headway/progress';
import { type Job, UnrecoverableError } from 'bullmq';
import { Elysia, t } from 'elysia';
import { toJobSummary } from '../job-summary.ts';
import type { Services } from '../services.ts';
import { loadJob } from './jobs.ts';

const params = t.Object({ id: t.String({ pattern: JOB_ID_PATTERN }) });

export const jobActionRoutes = (services: Services) =>
  new Elysia({ name: 'job-actions', prefix: '/api/jobs' })
    .post(
      '/:id/cancel',
      async ({ params, body, set }) => {
        const job = await loadJob(services, params.id);
        const ended = await cancelJob(services, job, cancelledReason(body?.reason));
        // 200: it has ended cancelled; 202: the worker running it has been asked to stop.
        set.status = ended ? 200 : 202;
        // The job as it was when asked: the worker may end it before a fresh read would finish.
        return ended ? toJobSummary(await loadJob(services, params.id)) : toJobSummary(job, 'active');
      },
      { params, body: t.Optional(CancelJobRequest) },
    )
    .post(
      '/:id/retry',
      // As POST /api/jobs answers: the job as queued (a worker may have picked it up already).
      async ({ params }) => toJobSummary(await retryJob(services, await loadJob(services, params.id)), 'waiting'),
      { params },
    );

/** Cancels the job; true when it has ended here (it was waiting), false when its worker is told. */
async function cancelJob(services: Services, job: Job<JobData>, reason: string): Promise<boolean> {
  const id = job.id!;
  const state = await stateOf(job);
  if (state === 'completed' || state === 'failed') {
    const status = statusFromState(state, job.failedReason);
    const done = status === 'cancelled' ? 'been cancelled' : status;
    throw new HeadwayError(409, 'CONFLICT', `Job ${id} has already ${done}; only a waiting or running job can be cancelled`);
  }
  // Recorded before anything else: a job that becomes active on some worker from here on sees it
  // when it starts, whatever happens to the message below.
  await services.cancels.record(id, reason);
  if (state !== 'active' && (await services.cancels.takeWaiting(waitingKeys(services), id))) {
    await job.moveToFailed(new UnrecoverableError(reason), '0');
    const event = statusEvent(id, Math.max(1, job.attemptsStarted), 'cancelled', cancelledWhy(reason));
    await services.stream.append(id, [event], { expireSeconds: services.retentionSeconds });
    await services.cancels.clear(id);
    return true;
  }
  await services.cancels.publish(id, reason);
  return false;
}

/**
 * Puts a failed or cancelled job back in the queue (BullMQ's `job.retry`, attempts kept: the run
 * is the job's next attempt, and retries left from its `attempts` option still apply).
 */
async function retryJob(services: Services, job: Job<JobData>): Promise<Job<JobData>> {
  const id = job.id!;
  const state = await stateOf(job);
  const status = statusFromState(state, job.failedReason);
  if (state !== 'failed') {
    throw new HeadwayError(409, 'CONFLICT', `Job ${id} is ${status}; only a failed or cancelled job can be retried`);
  }
  const attempt = Math.max(1, job.attemptsStarted);
  const reason = job.failedReason;
  await services.cancels.clear(id);
  // Written before the retry, so it comes before anything the next attempt writes.
  await services.stream.persist(id);
  await services.stream.append(id, [
    statusEvent(id, attempt, 'retrying', `Retried by request: back in the queue for attempt ${job.attemptsStarted + 1}`),
  ]);
  try {
    await job.retry('failed');
  } catch (error) {
    const now = await job.getState().catch(() => undefined);
    if (now && now !== 'failed') throw new HeadwayError(409, 'CONFLICT', `Job ${id} is being retried already`, { cause: error });
    // Still failed: its history should say so again (best effort; Redis may be what failed).
    await services.stream.append(id, [statusEvent(id, attempt, status, reason ?? undefined)], { expireSeconds: services.retentionSeconds }).catch(() => undefined);
    throw error;
  }
  return job;
}

async function stateOf(job: Job<JobData>): Promise<string> {
  const state = await job.getState();
  // Removed between being read and now (retention, or someone else).
  if (state === 'unknown') throw new HeadwayError(404, 'JOB_NOT_FOUND', `No job with id "${job.id}"`);
  return state;
}

function waitingKeys({ queue }: Services) {
  const { wait, paused, prioritized, delayed, active } = queue.keys;
  return { wait: wait!, paused: paused!, prioritized: prioritized!, delayed: delayed!, active: active! };
}
