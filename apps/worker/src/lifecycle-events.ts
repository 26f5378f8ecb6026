// Status events about attempts that ended without their processor saying so: an attempt whose
// worker died (BullMQ found it stalled and put it back in the queue), and a job that BullMQ fails
// at pick-up because it stalled too often. Both are written by the worker that picks the job up
// next, before anything else it writes, so a viewer sees them in order.
import { type EventStream, type NewJobEvent, statusEvent } from '@headway/progress';
import type { Job, Worker } from 'bullmq';

const STALLED_REASON = 'Its worker stopped renewing the job’s lock (crashed or blocked)';

/** For an attempt that starts after one that never finished: that attempt's stall and retry. */
export function stallsBefore(job: Job, attempt: number): NewJobEvent[] {
  // Attempts that ended, failed, are counted in attemptsMade; one that stalled is not.
  if (attempt <= 1 || job.attemptsMade >= attempt - 1) return [];
  return [
    statusEvent(job.id!, attempt - 1, 'stalled', STALLED_REASON),
    statusEvent(job.id!, attempt - 1, 'retrying', `Back in the queue for attempt ${attempt}`),
  ];
}

export function reportDeferredFailures(worker: Worker, stream: EventStream): void {
  worker.on('failed', (job, error) => {
    // A deferred failure is decided by the stall check; the processor never ran to say so.
    if (!job?.deferredFailure) return;
    const attempt = Math.max(1, job.attemptsStarted - 1);
    const events = [statusEvent(job.id!, attempt, 'stalled', STALLED_REASON), statusEvent(job.id!, attempt, 'failed', error.message)];
    void stream.append(job.id!, events).catch(() => undefined);
  });
}
