// The API's connections to Redis and BullMQ, made once and handed to the routes.

import type { RedisClient } from '@headway/progress';
import {
  type ArtifactStore,
  CancelRequests,
  createArtifactStore,
  createRedis,
  EventStream,
  type PipelineCatalog,
  type RedisKeys,
  redisKeys,
  WebhookOutbox,
} from '@headway/progress';
import { Queue } from 'bullmq';
import { Access } from './access.ts';
import { ArtifactSweep } from './artifact-sweep.ts';
import type { ApiEnv } from './env.ts';
import { JobListFeed } from './job-list-feed.ts';
import { Relay } from './relay.ts';
import { Sessions } from './sessions.ts';
import { ShareLinks } from './share-links.ts';
import { SocketGate } from './socket-gate.ts';
import { loadTokens } from './tokens.ts';
import { TokensReload } from './tokens-reload.ts';
import { WebhookDeliveries } from './webhook-deliveries.ts';

export interface Services {
  /** The pipelines of the config file. */
  pipelines: PipelineCatalog;
  access: Access;
  /** Dashboard sessions, when the API has tokens. */
  sessions?: Sessions;
  /** Signs and reads share links' tokens. */
  shareLinks: ShareLinks;
  sockets: SocketGate;
  keys: RedisKeys;
  redis: RedisClient;
  queue: Queue;
  /**
   * The same queue on a connection whose commands never time out, for creates only: POST
   * /api/jobs bounds its wait itself and still learns the id of a create Redis ran late.
   */
  creates: Queue;
  stream: EventStream;
  cancels: CancelRequests;
  relay: Relay;
  jobListFeed: JobListFeed;
  retentionSeconds: number;
  /** Where workers put the jobs' files (ARTIFACT_STORE), read here to serve them. */
  artifacts: ArtifactStore;
  /** Removes the artifacts of jobs that have expired or gone (started by the app when it listens). */
  artifactSweep: ArtifactSweep;
  /** Queues webhook deliveries of ends seen here (a waiting job cancelled). */
  webhookOutbox: WebhookOutbox;
  /** Runs webhook deliveries (started by the app when it listens) and lists them. */
  webhooks: WebhookDeliveries;
  /** Where users reach this API (PUBLIC_URL), for links in webhooks; unset: the address it listens on. */
  publicUrl?: string;
  /** Reads HEADWAY_TOKENS_FILE again when it changes (started by the app when it listens). */
  tokensReload: TokensReload;
  /** Stops the relay, the job-list feed, the artifact sweep, webhook deliveries and the tokens reload (the app's onStop); close() waits for it. */
  stopBackground(): Promise<void>;
  /** Stops the background work, then closes every connection. */
  close(): Promise<void>;
}

/** Throws TokensFileError when HEADWAY_TOKENS_FILE is wrong, before anything connects. */
export function createServices(env: ApiEnv, pipelines: PipelineCatalog): Services {
  const tokens = loadTokens({ apiToken: env.apiToken, tokensFile: env.tokensFile });
  const keys = redisKeys(env.queuePrefix);
  const redisTarget = env.redisTopology ?? env.redisUrl;
  const redis = createRedis(redisTarget, 'request');
  const queue = new Queue(keys.queueName, { connection: redis, prefix: keys.queuePrefix });
  // Connection errors are already reported once per outage by createRedis; requests answer 503.
  queue.on('error', () => {});
  const creates = new Queue(keys.queueName, {
    connection: createRedis(redisTarget, 'request', { commandTimeout: undefined }),
    prefix: keys.queuePrefix,
  });
  creates.on('error', () => {});
  const stream = new EventStream(redis, keys, { maxLen: env.eventStreamMaxLen });
  const relay = new Relay({
    subscriber: createRedis(redisTarget, 'blocking', { shardedSubscribers: true }),
    reader: createRedis(redisTarget, 'blocking'),
    keys,
    stream,
  });
  const jobListFeed = new JobListFeed({ redis: createRedis(redisTarget, 'blocking'), queue, keys });
  const artifacts = createArtifactStore(env.artifactStore);
  const artifactSweep = new ArtifactSweep({
    store: artifacts,
    redis,
    queue,
    keys,
    retentionSeconds: env.artifactRetentionSeconds,
    intervalSeconds: env.artifactSweepSeconds,
  });
  const webhookOutbox = new WebhookOutbox(redis, keys, pipelines.webhooks, {
    attempts: env.webhookAttempts,
    backoffMs: env.webhookBackoffMs,
  });
  const webhooks = new WebhookDeliveries({
    outbox: webhookOutbox,
    jobs: queue,
    keys,
    redis: redisTarget,
    timeoutMs: env.webhookTimeoutMs,
  });
  const sessions = tokens.required ? new Sessions(redis, keys, tokens) : undefined;
  const shareLinks = new ShareLinks(redis, keys, env.shareKey);
  const access = new Access({
    tokens,
    shareLinks,
    host: env.host,
    allowedOrigins: env.allowedOrigins,
    allowedHosts: env.allowedHosts,
    sessions,
  });
  const sockets = new SocketGate(access, env.maxSocketsPerClient);
  const tokensReload = new TokensReload({
    tokens,
    apiToken: env.apiToken,
    tokensFile: env.tokensFile,
    required: access.tokenRequired,
    recheckSockets: () => sockets.recheck(),
  });
  let stopping: Promise<void> | undefined;
  const stopBackground = () => {
    tokensReload.stop();
    sockets.stopRechecks();
    stopping ??= Promise.all([artifactSweep.stop(), relay.stop(), jobListFeed.stop(), webhooks.stop()]).then(() => undefined);
    return stopping;
  };
  return {
    pipelines,
    access,
    sessions,
    shareLinks,
    sockets,
    tokensReload,
    keys,
    redis,
    queue,
    creates,
    stream,
    cancels: new CancelRequests(redis, keys),
    relay,
    jobListFeed,
    retentionSeconds: env.eventRetentionSeconds,
    artifacts,
    artifactSweep,
    webhookOutbox,
    webhooks,
    publicUrl: env.publicUrl,
    stopBackground,
    async close() {
      await stopBackground();
      await webhookOutbox.close();
      await Promise.all([queue.close(), creates.close()]);
      redis.disconnect();
    },
  };
}
