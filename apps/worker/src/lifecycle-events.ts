// Status events about attempts that ended without their processor saying so: an attempt whose
// worker died (BullMQ found it stalled and put it back in the queue), and a job that BullMQ fails
// at pick-up because it stalled too often. The worker whose stall check finds the job reports it
// at once, so viewers learn of it even while every worker is busy; the worker that picks the job
// up next reports it too, ahead of anything else it writes, in case the first report was lost.
// The stream keeps whichever came first (EventStream's `stall`), so a viewer sees it once, in order.
import { type EventStream, type NewJobEvent, serverLog, statusEvent } from '@headway/progress';
import { Job, type Worker } from 'bullmq';

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
    void stream.append(job.id!, events, { stall: { attempt, events: 1 } }).catch(() => undefined);
  });
}

/** Reports a stall as soon as this worker's stall check moves the job back to the queue. */
export function reportStalls(worker: Worker, stream: EventStream): void {
  worker.on('stalled', (jobId) => {
    void (async () => {
      const job = await Job.fromId(worker as never, jobId);
      // Read after the job: if a worker has picked it up meanwhile, that worker reports the stall
      // (and `attemptsStarted` may already count its attempt).
      if (!job || !['waiting', 'prioritized', 'delayed'].includes(await job.getState())) return;
      const attempt = Math.max(1, job.attemptsStarted);
      const stalled = statusEvent(jobId, attempt, 'stalled', STALLED_REASON);
      // One that stalled too often fails when next picked up, which reports that.
      const events = job.deferredFailure
        ? [stalled]
        : [stalled, statusEvent(jobId, attempt, 'retrying', `Back in the queue for attempt ${attempt + 1}`)];
      await stream.append(jobId, events, { stall: { attempt, events: events.length } });
    })().catch((error) => serverLog.error('worker', `job ${jobId}: could not report its stall: ${error.message}`));
  });
}
