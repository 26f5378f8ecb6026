// Starts one worker process: a BullMQ Worker running pipelines, stopped cleanly on SIGINT/SIGTERM.
import { CancelRequests, createRedis, EventStream, HistoryStore, redisKeys } from '@headway/progress';
import { Worker } from 'bullmq';
import { listenForCancels } from './cancel-listener.ts';
import { env } from './env.ts';
import { reportDeferredFailures } from './lifecycle-events.ts';
import { pipelineDefinitions } from './pipelines/index.ts';
import { createProcessor, HISTORY_REUSE_MS } from './run-job.ts';

const keys = redisKeys(env.queuePrefix);
const connection = createRedis(env.redisUrl, 'blocking');
const stream = new EventStream(connection, keys, { maxLen: env.eventStreamMaxLen });
const cancels = new CancelRequests(connection, keys);
const subscriber = createRedis(env.redisUrl, 'blocking');

const worker = new Worker(
  keys.queueName,
  createProcessor({
    pipelines: pipelineDefinitions,
    stream,
    history: new HistoryStore(connection, keys, { maxAgeMs: HISTORY_REUSE_MS }),
    cancels,
    dataDir: env.dataDir,
    retentionSeconds: env.eventRetentionSeconds,
  }),
  {
    connection: createRedis(env.redisUrl, 'blocking'),
    prefix: keys.queuePrefix,
    concurrency: env.concurrency,
    lockDuration: env.lockDurationMs,
    stalledInterval: env.stalledIntervalMs,
  },
);

reportDeferredFailures(worker, stream);
listenForCancels({ worker, subscriber, keys, cancels });

worker.on('ready', () => {
  console.log(`[worker] ready: ${[...pipelineDefinitions.keys()].join(', ')} (concurrency ${env.concurrency})`);
});
worker.on('failed', (job, error) => console.log(`[worker] job ${job?.id} failed: ${error.message}`));
worker.on('error', (error) => console.error(`[worker] ${error.message}`));

let stopping = false;
async function stop(signal: string) {
  if (stopping) {
    // A second signal means now: running jobs are cancelled instead of awaited.
    worker.cancelAllJobs('worker stopped');
    return;
  }
  stopping = true;
  console.log(`[worker] ${signal}: finishing running jobs (up to ${env.shutdownGraceMs} ms)`);
  const deadline = setTimeout(() => worker.cancelAllJobs('worker stopped before the job finished'), env.shutdownGraceMs);
  await worker.close();
  clearTimeout(deadline);
  subscriber.disconnect();
  connection.disconnect();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
