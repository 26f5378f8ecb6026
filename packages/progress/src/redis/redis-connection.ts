// One way to open Redis connections, so reply shapes, retry behaviour and time bounds are the same
// everywhere, and one way to tell "Redis is unavailable" from other errors.
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { serverLog } from '../server/server-log.ts';

export type ConnectionRole =
  /** BullMQ workers and blocking readers: commands wait for a reconnect instead of failing. */
  | 'blocking'
  /** Request paths (API producers): fail fast when Redis is down or frozen so callers get a 503. */
  | 'request';

/** Redis beyond one server: a Redis Cluster, or a master found through Sentinels. */
export type RedisTopology =
  /** Any nodes to start from (REDIS_CLUSTER_NODES); the others are discovered. */
  | { kind: 'cluster'; nodes: HostPort[] }
  /** REDIS_SENTINELS and the master's name there (REDIS_SENTINEL_NAME). */
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string };

/** Where Redis is: the URL of one server, or a topology. */
export type RedisTarget = string | RedisTopology;

export interface HostPort {
  host: string;
  port: number;
}

/** A connection to one server or to a cluster; both take the same commands, key by key. */
export type RedisClient = Redis | Cluster;

/** A request path's command that gets no answer within this fails (a frozen or overloaded Redis). */
export const REQUEST_COMMAND_TIMEOUT_MS = 2000;
/** A request connection that cannot connect within this gives up the attempt (and retries). */
export const REQUEST_CONNECT_TIMEOUT_MS = 2000;
/**
 * Between redirection retries on a cluster. ioredis asks that retries outlast the promotion of a
 * replica (cluster-node-timeout plus a second or two); 64 × 300 ms is about 19 s for writers.
 */
const CLUSTER_RETRY_DELAY_MS = 300;

export interface ConnectionExtras {
  /** On a cluster: one subscriber connection per master, for SSUBSCRIBE (the relay's doorbell). */
  shardedSubscribers?: boolean;
}

/** Parses `host:port,host:port` (REDIS_CLUSTER_NODES, REDIS_SENTINELS). */
export function parseHostPorts(name: string, raw: string): HostPort[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const match = /^(.+):(\d+)$/.exec(item);
      if (!match) throw new Error(`${name} must be host:port,host:port,…, got "${raw}"`);
      return { host: match[1]!, port: Number(match[2]) };
    });
}

export function describeTarget(target: RedisTarget): string {
  if (typeof target === 'string') return target.replace(/\/\/[^@]*@/, '//***@');
  const list = (nodes: HostPort[]) => nodes.map((node) => `${node.host}:${node.port}`).join(',');
  return target.kind === 'cluster' ? `cluster ${list(target.nodes)}` : `sentinel ${target.name} at ${list(target.sentinels)}`;
}

export function createRedis(url: string, role: ConnectionRole, extra?: RedisOptions): Redis;
export function createRedis(target: RedisTarget, role: ConnectionRole, extra?: RedisOptions & ConnectionExtras): RedisClient;
export function createRedis(
  target: RedisTarget,
  role: ConnectionRole,
  { shardedSubscribers, ...extra }: RedisOptions & ConnectionExtras = {},
): RedisClient {
  const options: RedisOptions = {
    // RESP2 keeps XREAD and friends as plain arrays, the shape the stream codec reads.
    protocol: 2,
    maxRetriesPerRequest: role === 'blocking' ? null : 1,
    enableOfflineQueue: role === 'blocking',
    // Only request connections are bounded: a blocking read (BullMQ's BZPOPMIN) waits longer than
    // any bound on purpose, and a worker's commands must wait out an outage.
    ...(role === 'request' && { commandTimeout: REQUEST_COMMAND_TIMEOUT_MS, connectTimeout: REQUEST_CONNECT_TIMEOUT_MS }),
    ...extra,
  };
  const redis: RedisClient =
    typeof target === 'string'
      ? new Redis(target, options)
      : target.kind === 'cluster'
        ? new Cluster(target.nodes, clusterOptions(options, role, shardedSubscribers ?? false))
        : new Redis({ ...options, sentinels: target.sentinels, name: target.name });
  // ioredis retries on its own; say so once per outage instead of an unhandled error per attempt.
  const where = describeTarget(target);
  let down = false;
  const report = (error: Error) => {
    if (down) return;
    down = true;
    serverLog.error('redis', `${where}: ${error.message}; reconnecting`);
  };
  redis.on('error', report);
  // A cluster reports each node's errors apart (hundreds while a master is killed).
  redis.on('node error', report);
  redis.on('ready', () => {
    if (down) serverLog.error('redis', `${where}: reconnected`);
    down = false;
  });
  return redis;
}

function clusterOptions(redisOptions: RedisOptions, role: ConnectionRole, shardedSubscribers: boolean): ClusterOptions {
  const { enableOfflineQueue, ...perNode } = redisOptions;
  return {
    // BullMQ reads `redisOptions.maxRetriesPerRequest` of a cluster (null for its blocking client).
    redisOptions: perNode,
    enableOfflineQueue,
    enableReadyCheck: true,
    // Replicas lag: BullMQ's reads and the relay's XRANGE must see what the master wrote.
    scaleReads: 'master',
    maxRedirections: role === 'blocking' ? 64 : 16,
    retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
    shardedSubscribers,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : '');

/** Redis could not be reached, or did not answer in time: the same request may succeed later. */
export function isRedisUnavailable(error: unknown): boolean {
  return /Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable|max retries per request|Command timed out/i.test(
    message(error),
  );
}

/**
 * Worth sending again after a pause: Redis was unreachable, or a cluster was moving a slot or
 * promoting a replica (MOVED, CLUSTERDOWN, TRYAGAIN, READONLY from a demoted master, a blocked
 * command unblocked by a role change). The command may have run: send again only what is idempotent.
 */
export function isTransient(error: unknown): boolean {
  return (
    isRedisUnavailable(error) ||
    /^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN|READONLY|LOADING|MASTERDOWN|UNBLOCKED)\b|Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes is available/.test(
      message(error),
    )
  );
}

/**
 * The command was sent but its answer never came (timed out, or the connection closed under it):
 * Redis may still run it, e.g. when a frozen server resumes.
 */
export function mayHaveRun(error: unknown): boolean {
  return /Command timed out|Connection is closed/i.test(message(error));
}
