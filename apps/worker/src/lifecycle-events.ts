// Status events that no processor run can write: a job whose worker died (seen as stalled by
// another worker) and one that BullMQ fails before running it again (stalled too often).
import { type EventStream, statusEvent } from '@headway/progress';
import { Job, type Worker } from 'bullmq';

export function reportLifecycle(worker: Worker, stream: EventStream): void {
  worker.on('stalled', (jobId) => {
    void reportStalled(worker, stream, jobId).catch((error) => {
      console.error(`[worker] job ${jobId}: could not report its stall: ${error.message}`);
    });
  });
  worker.on('failed', (job, error) => {
    // A deferred failure is decided by the stall check; the processor never ran to say so.
    if (!job?.deferredFailure) return;
    const attempt = Math.max(1, job.attemptsStarted);
    void stream.append(job.id!, [statusEvent(job.id!, attempt, 'failed', error.message)]).catch(() => undefined);
  });
}

async function reportStalled(worker: Worker, stream: EventStream, jobId: string): Promise<void> {
  const job = await Job.fromId(worker, jobId);
  if (!job) return;
  const attempt = Math.max(1, job.attemptsStarted);
  const events = [statusEvent(jobId, attempt, 'stalled', 'Its worker stopped renewing the job’s lock (crashed or blocked)')];
  // Past maxStalledCount BullMQ fails the job at its next pick-up instead of running it.
  if (!job.deferredFailure) events.push(statusEvent(jobId, attempt, 'retrying', `Back in the queue for attempt ${attempt + 1}`));
  await stream.append(jobId, events);
}
