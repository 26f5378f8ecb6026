// Tells the webhooks of the jobs this worker ends, once BullMQ has recorded the end (so the API,
// reading the job to build the payload, finds it final), and of the stalls its stall check finds.
// Another process reporting the same end adds nothing (webhook-outbox.ts).
import { isCancelledReason, type JobEnd, serverLog, type WebhookOutbox } from '@headway/progress';
import { Job, type Worker } from 'bullmq';

export function announceEnds(worker: Worker, outbox: WebhookOutbox): void {
  if (outbox.hooks.length === 0) return;
  const announce = (end: JobEnd) => {
    // The worker's connection waits out a Redis outage, so this fails only on a real error.
    outbox.announce(end).catch((error) => serverLog.error('worker', `job ${end.jobId}: could not queue its webhooks: ${error.message}`));
  };
  worker.on('completed', (job) => {
    announce({ jobId: job.id!, pipeline: job.name, type: 'job.completed', attempt: Math.max(1, job.attemptsStarted) });
  });
  worker.on('failed', (job) => {
    // Every failed attempt comes here; BullMQ sets finishedOn only on the one that ends the job.
    if (!job?.finishedOn) return;
    // A deferred failure (stalled too often) fails the attempt that picked it up, before it ran.
    const attempt = Math.max(1, job.deferredFailure ? job.attemptsStarted - 1 : job.attemptsStarted);
    const type = isCancelledReason(job.failedReason) ? 'job.cancelled' : 'job.failed';
    announce({ jobId: job.id!, pipeline: job.name, type, attempt });
  });
  if (!outbox.hooks.some((hook) => hook.events.has('job.stalled'))) return;
  worker.on('stalled', (jobId) => {
    void (async () => {
      const job = await Job.fromId(worker as never, jobId);
      if (!job) return;
      // Back in the queue, the stalled attempt is the last one started; picked up again, the one before.
      const attempt = Math.max(1, (await job.getState()) === 'active' ? job.attemptsStarted - 1 : job.attemptsStarted);
      announce({ jobId, pipeline: job.name, type: 'job.stalled', attempt });
    })().catch((error) => serverLog.error('worker', `job ${jobId}: could not queue its stall's webhooks: ${error.message}`));
  });
}
