// The API's connections to Redis and BullMQ, made once and handed to the routes.
import { CancelRequests, createRedis, EventStream, type PipelineCatalog, type RedisKeys, redisKeys } from '@headway/progress';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Access } from './access.ts';
import type { ApiEnv } from './env.ts';
import { JobListFeed } from './job-list-feed.ts';
import { Relay } from './relay.ts';

export interface Services {
  /** The pipelines of the config file. */
  pipelines: PipelineCatalog;
  access: Access;
  keys: RedisKeys;
  redis: Redis;
  queue: Queue;
  stream: EventStream;
  cancels: CancelRequests;
  relay: Relay;
  jobListFeed: JobListFeed;
  retentionSeconds: number;
  close(): Promise<void>;
}

export function createServices(env: ApiEnv, pipelines: PipelineCatalog): Services {
  const keys = redisKeys(env.queuePrefix);
  const redis = createRedis(env.redisUrl, 'request');
  const queue = new Queue(keys.queueName, { connection: redis, prefix: keys.queuePrefix });
  // Connection errors are already reported once per outage by createRedis; requests answer 503.
  queue.on('error', () => {});
  const stream = new EventStream(redis, keys, { maxLen: env.eventStreamMaxLen });
  const relay = new Relay({ reader: createRedis(env.redisUrl, 'blocking'), control: redis, keys, stream });
  const jobListFeed = new JobListFeed({ redis: createRedis(env.redisUrl, 'blocking'), queue, keys });
  return {
    pipelines,
    access: new Access({ token: env.apiToken, allowedOrigins: env.allowedOrigins }),
    keys,
    redis,
    queue,
    stream,
    cancels: new CancelRequests(redis, keys),
    relay,
    jobListFeed,
    retentionSeconds: env.eventRetentionSeconds,
    async close() {
      await Promise.all([relay.stop(), jobListFeed.stop()]);
      await queue.close();
      redis.disconnect();
    },
  };
}
