// Starts one worker process: a BullMQ Worker running pipelines, stopped cleanly on SIGINT/SIGTERM.
import {
  CancelRequests,
  ConfigError,
  checkRedisLogin,
  createArtifactStore,
  createRedis,
  EventStream,
  HistoryStore,
  loadConfig,
  RedisLoginError,
  redisKeys,
  serverLog,
  WebhookOutbox,
} from '@headway/progress';
import { Worker } from 'bullmq';
import { listenForCancels } from './cancel-listener.ts';
import { missingPrograms } from './command-runner.ts';
import { env } from './env.ts';
import { reportDeferredFailures, reportStalls } from './lifecycle-events.ts';
import { createProcessor, HISTORY_REUSE_MS } from './run-job.ts';
import { announceEnds } from './webhook-ends.ts';

const pipelines = await loadConfig(env.configFile, env).catch((error) => {
  // A broken config is fixed in the file, not retried: say where, and stop.
  serverLog.error('worker', error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
// Other pipelines still run; jobs of these fail with the same message until the program is installed.
for (const problem of missingPrograms(pipelines)) serverLog.warn('worker', problem);

const keys = redisKeys(env.queuePrefix);
const redisTarget = env.redisTopology ?? env.redisUrl;
await checkRedisLogin(redisTarget).catch((error) => {
  if (!(error instanceof RedisLoginError)) throw error;
  serverLog.error('worker', error.message);
  process.exit(1);
});
const connection = createRedis(redisTarget, 'blocking');
const stream = new EventStream(connection, keys, { maxLen: env.eventStreamMaxLen });
const cancels = new CancelRequests(connection, keys);
const subscriber = createRedis(redisTarget, 'blocking');

const worker = new Worker(
  keys.queueName,
  createProcessor({
    pipelines,
    stream,
    history: new HistoryStore(connection, keys, { maxAgeMs: HISTORY_REUSE_MS }),
    cancels,
    dataDir: env.dataDir,
    retentionSeconds: env.eventRetentionSeconds,
    artifacts: { store: createArtifactStore(env.artifactStore), maxBytes: env.maxArtifactBytes, maxCount: env.maxArtifactsPerJob },
  }),
  {
    connection: createRedis(redisTarget, 'blocking'),
    prefix: keys.queuePrefix,
    concurrency: env.concurrency,
    lockDuration: env.lockDurationMs,
    stalledInterval: env.stalledIntervalMs,
  },
);

reportDeferredFailures(worker, stream);
reportStalls(worker, stream);
const stopCancelSweep = listenForCancels({ worker, subscriber, keys, cancels });
const webhooks = new WebhookOutbox(connection, keys, pipelines.webhooks, {
  attempts: env.webhookAttempts,
  backoffMs: env.webhookBackoffMs,
});
announceEnds(worker, webhooks);

worker.on('ready', () => {
  serverLog.info('worker', `ready: ${pipelines.names.join(', ')} from ${pipelines.file} (concurrency ${env.concurrency})`);
});
worker.on('failed', (job, error) => serverLog.info('worker', `job ${job?.id} failed: ${error.message}`));
worker.on('error', (error) => serverLog.error('worker', error.message));

let stopping = false;
async function stop(signal: string) {
  if (stopping) {
    // A second signal means now: running jobs are cancelled instead of awaited.
    worker.cancelAllJobs('worker stopped');
    return;
  }
  stopping = true;
  serverLog.info('worker', `${signal}: finishing running jobs (up to ${env.shutdownGraceMs} ms)`);
  const deadline = setTimeout(() => worker.cancelAllJobs('worker stopped before the job finished'), env.shutdownGraceMs);
  await worker.close();
  clearTimeout(deadline);
  await webhooks.close();
  stopCancelSweep();
  subscriber.disconnect();
  connection.disconnect();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
