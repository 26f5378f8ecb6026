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
} from '@headway/progress';
import { Queue } from 'bullmq';
import { Access } from './access.ts';
import { ArtifactSweep } from './artifact-sweep.ts';
import type { ApiEnv } from './env.ts';
import { JobListFeed } from './job-list-feed.ts';
import { Relay } from './relay.ts';
import { Sessions, sha256 } from './sessions.ts';
import { SocketGate } from './socket-gate.ts';

export interface Services {
  /** The pipelines of the config file. */
  pipelines: PipelineCatalog;
  access: Access;
  /** Dashboard sessions, when the API has a token. */
  sessions?: Sessions;
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
  /** Removes the artifacts of jobs that have expired or gone (started by main.ts). */
  artifactSweep: ArtifactSweep;
  close(): Promise<void>;
}

export function createServices(env: ApiEnv, pipelines: PipelineCatalog): Services {
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
  const sessions = env.apiToken ? new Sessions(redis, keys, sha256(env.apiToken)) : undefined;
  const access = new Access({
    token: env.apiToken,
    host: env.host,
    allowedOrigins: env.allowedOrigins,
    allowedHosts: env.allowedHosts,
    sessions,
  });
  return {
    pipelines,
    access,
    sessions,
    sockets: new SocketGate(access, env.maxSocketsPerClient),
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
    async close() {
      await artifactSweep.stop();
      await Promise.all([relay.stop(), jobListFeed.stop()]);
      await Promise.all([queue.close(), creates.close()]);
      redis.disconnect();
    },
  };
}
