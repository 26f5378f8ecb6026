// Cancel requests from any API process reach the jobs this worker process runs: BullMQ's
// `worker.cancelJob` only aborts jobs of its own process, so every worker listens on the control
// channel, and the one running the job aborts it (run-job.ts then ends it `cancelled`). Pub/sub
// loses what is published while the subscriber is away, and on a Redis Cluster it may move to
// another node without a word (no `ready`), so the running jobs' requests are also read every
// CANCEL_SWEEP_MS.

import type { RedisClient } from '@headway/progress';
import { type CancelRequests, parseControlMessage, type RedisKeys, serverLog } from '@headway/progress';
import type { Job, Worker } from 'bullmq';

export interface CancelListenerDeps {
  worker: Worker;
  /** A connection of its own: a subscribed connection can send no other commands. */
  subscriber: RedisClient;
  keys: RedisKeys;
  cancels: Pick<CancelRequests, 'pending'>;
}

/** How often the running jobs' cancel requests are read, whatever the control channel delivered. */
export const CANCEL_SWEEP_MS = 2000;

/** Returns a function that stops the periodic read. */
export function listenForCancels({ worker, subscriber, keys, cancels }: CancelListenerDeps): () => void {
  const running = new Set<string>();
  worker.on('active', (job) => running.add(job.id!));
  const done = (job?: Job) => job?.id && running.delete(job.id);
  worker.on('completed', done);
  worker.on('failed', done);

  subscriber.on('message', (channel: string, raw: string) => {
    if (channel !== keys.control) return;
    const message = parseControlMessage(raw);
    if (message?.type === 'cancel') worker.cancelJob(message.jobId, message.reason);
  });
  // What is published while this connection is down never arrives: after a reconnect, look for
  // requests recorded meanwhile for the jobs running here.
  const sweep = () => {
    for (const jobId of running) {
      void cancels.pending(jobId).then(
        (reason) => reason && running.has(jobId) && worker.cancelJob(jobId, reason),
        () => undefined,
      );
    }
  };
  let connectedBefore = false;
  subscriber.on('ready', () => {
    if (connectedBefore) sweep();
    connectedBefore = true;
  });
  const timer = setInterval(sweep, CANCEL_SWEEP_MS);
  // ioredis subscribes again by itself after a reconnect.
  subscriber.subscribe(keys.control).catch((error: Error) => serverLog.error('worker', `control channel: ${error.message}`));
  return () => clearInterval(timer);
}
