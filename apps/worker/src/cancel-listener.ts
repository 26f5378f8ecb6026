// Cancel requests from any API process reach the jobs this worker process runs: BullMQ's
// `worker.cancelJob` only aborts jobs of its own process, so every worker listens on the control
// channel, and the one running the job aborts it (run-job.ts then ends it `cancelled`).

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

export function listenForCancels({ worker, subscriber, keys, cancels }: CancelListenerDeps): void {
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
  let connectedBefore = false;
  subscriber.on('ready', () => {
    if (connectedBefore) {
      for (const jobId of running) {
        void cancels.pending(jobId).then(
          (reason) => reason && worker.cancelJob(jobId, reason),
          () => undefined,
        );
      }
    }
    connectedBefore = true;
  });
  // ioredis subscribes again by itself after a reconnect.
  subscriber.subscribe(keys.control).catch((error: Error) => serverLog.error('worker', `control channel: ${error.message}`));
}
