// Cancelling a job, from any API route: a waiting job ends `cancelled` here and at once; a running
// one is ended by the worker running it, on any host, told over the control channel
// (packages/progress cancel-requests.ts).
import { cancelledWhy, HeadwayError, type JobData, serverLog, statusEvent, statusFromState } from '@headway/progress';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Services } from './services.ts';

/**
 * Cancels the job; true when it has ended here (it was waiting), false when its worker is told.
 * `actor`, the token name that asked, is kept in the job's data (its reason says it too).
 */
export async function cancelJob(services: Services, job: Job<JobData>, reason: string, actor?: string): Promise<boolean> {
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
  // Best effort: the reason names them too, and a job removed meanwhile has no data to keep it in.
  if (actor) await job.updateData({ ...job.data, cancelledBy: actor }).catch(() => undefined);
  if (state !== 'active' && (await services.cancels.takeWaiting(waitingKeys(services), id))) {
    // Written while the job is taken (no worker can start it) and before it is failed, so a retry
    // of the cancelled job, which needs it failed, writes its `retrying` event after this one.
    const attempt = Math.max(1, job.attemptsStarted);
    const event = statusEvent(id, attempt, 'cancelled', cancelledWhy(reason));
    await services.stream.append(id, [event], { expireSeconds: services.retentionSeconds });
    await job.moveToFailed(new UnrecoverableError(reason), '0');
    await services.cancels.clear(id);
    // The job has ended here, not on a worker: its webhooks are told from here.
    await services.webhookOutbox
      .announce({ jobId: id, pipeline: job.name, type: 'job.cancelled', attempt })
      .catch((error) => serverLog.error('webhooks', `job ${id}: could not queue its webhooks: ${error.message}`));
    return true;
  }
  await services.cancels.publish(id, reason);
  return false;
}

/** The job's BullMQ state; 404 once it is gone. */
export async function stateOf(job: Job<JobData>): Promise<string> {
  const state = await job.getState();
  // Removed between being read and now (retention, or someone else).
  if (state === 'unknown') throw new HeadwayError(404, 'JOB_NOT_FOUND', `No job with id "${job.id}"`);
  return state;
}

function waitingKeys({ queue }: Services) {
  const { wait, paused, prioritized, delayed, active } = queue.keys;
  return { wait: wait!, paused: paused!, prioritized: prioritized!, delayed: delayed!, active: active! };
}
