// One way to open Redis connections, so reply shapes, retry behaviour and time bounds are the same
// everywhere, and one way to tell "Redis is unavailable" from other errors.
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { serverLog } from '../server/server-log.ts';

export type ConnectionRole =
  /** BullMQ workers and blocking readers: commands wait for a reconnect instead of failing. */
  | 'blocking'
  /** Request paths (API producers): fail fast when Redis is down or frozen so callers get a 503. */
  | 'request';

/**
 * How to be let in, the same for every server of a target: managed Redis (ElastiCache, Azure,
 * Upstash…) asks for a password, often an ACL user, and TLS. Never printed.
 */
export interface RedisSecurity {
  /** REDIS_USERNAME: an ACL user (the `default` user when unset). */
  username?: string;
  /** REDIS_PASSWORD: of every data node (a cluster's nodes, Sentinel's master and replicas, one server). */
  password?: string;
  /** REDIS_TLS: connect with TLS; `ca` (REDIS_TLS_CA_FILE's PEM) replaces the system's CAs. */
  tls?: { ca?: string };
  /** REDIS_SENTINEL_PASSWORD: the Sentinels' own requirepass. */
  sentinelPassword?: string;
}

/** Redis beyond one plain URL: a Redis Cluster, a master found through Sentinels, or one server with security given apart. */
export type RedisTopology =
  /** Any nodes to start from (REDIS_CLUSTER_NODES); the others are discovered. */
  | { kind: 'cluster'; nodes: HostPort[]; security?: RedisSecurity }
  /** REDIS_SENTINELS and the master's name there (REDIS_SENTINEL_NAME). */
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; security?: RedisSecurity }
  /** The one server at REDIS_URL, with REDIS_PASSWORD, REDIS_TLS… beside it. */
  | { kind: 'server'; url: string; security: RedisSecurity };

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

/** Where Redis is, for logs: never a password (a URL's credentials are masked, RedisSecurity is left out). */
export function describeTarget(target: RedisTarget): string {
  const maskUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
  if (typeof target === 'string') return maskUrl(target);
  const list = (nodes: HostPort[]) => nodes.map((node) => `${node.host}:${node.port}`).join(',');
  const where =
    target.kind === 'server'
      ? maskUrl(target.url)
      : target.kind === 'cluster'
        ? `cluster ${list(target.nodes)}`
        : `sentinel ${target.name} at ${list(target.sentinels)}`;
  return target.security?.tls ? `${where} (TLS)` : where;
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
  const redis = connect(target, options, role, shardedSubscribers ?? false);
  // ioredis retries on its own; say so once per outage instead of an unhandled error per attempt.
  const where = describeTarget(target);
  let down = false;
  const report = (error: Error) => {
    if (down) return;
    down = true;
    serverLog.error('redis', `${where}: ${error.message}; reconnecting${credentialsHint(error)}`);
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

function connect(target: RedisTarget, options: RedisOptions, role: ConnectionRole, shardedSubscribers: boolean): RedisClient {
  if (typeof target === 'string') return new Redis(target, options);
  const security = securityOptions(target.security);
  switch (target.kind) {
    case 'server':
      // ioredis takes the URL's values before the options': a user or password written in
      // REDIS_URL wins over REDIS_USERNAME and REDIS_PASSWORD, as it should. A rediss:// URL is
      // TLS whatever REDIS_TLS says, with REDIS_TLS_CA_FILE's CA when given.
      return new Redis(target.url, { ...options, ...security });
    case 'cluster':
      return new Cluster(target.nodes, clusterOptions({ ...options, ...security }, role, shardedSubscribers));
    case 'sentinel':
      return new Redis({
        ...options,
        ...security,
        sentinels: target.sentinels,
        name: target.name,
        sentinelPassword: target.security?.sentinelPassword,
        // The Sentinels are reached with the same TLS as the master and replicas they name.
        ...(security.tls && { sentinelTLS: security.tls, enableTLSForSentinelMode: true }),
      });
  }
}

/** The options every data node is opened with: credentials, and TLS when asked for. */
function securityOptions(security: RedisSecurity = {}): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const { username, password, tls } = security;
  return {
    ...(username && { username }),
    ...(password && { password }),
    ...(tls && { tls: tls.ca ? { ca: tls.ca } : {} }),
  };
}

const CREDENTIALS_HINT = 'set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user)';
/** The Sentinels refused: their own password is another setting. */
const SENTINEL_HINT = "set REDIS_SENTINEL_PASSWORD (the Sentinels' own requirepass)";

/** Redis refused to let us in (a cluster's "Failed to refresh slots cache" carries the node's answer as lastNodeError). */
function loginRefused(error: Error & { lastNodeError?: Error }): boolean {
  return /\b(NOAUTH|WRONGPASS|NOPERM)\b/.test(`${error.message} ${error.lastNodeError?.message ?? ''}`);
}

/** Redis refused to let us in: the fix is a setting, so the log line names it. */
function credentialsHint(error: Error): string {
  if (!loginRefused(error)) return '';
  return `; ${/sentinels are unreachable/i.test(error.message) ? SENTINEL_HINT : CREDENTIALS_HINT}`;
}

/** Redis refused the credentials given: a setting to fix, not an outage to wait out. */
export class RedisLoginError extends Error {
  override name = 'RedisLoginError';
}

/**
 * Logs in once, without retrying, and throws RedisLoginError if Redis refuses the credentials, so
 * a process stops at start with one line instead of every connection retrying the same refusal.
 * Redis being unreachable passes: the process's connections wait for it, as they always do.
 */
export async function checkRedisLogin(target: RedisTarget): Promise<void> {
  const refusals: Error[] = [];
  const probe = connect(
    target,
    {
      protocol: 2,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: REQUEST_CONNECT_TIMEOUT_MS,
      commandTimeout: REQUEST_COMMAND_TIMEOUT_MS,
      retryStrategy: () => null,
      sentinelRetryStrategy: () => null,
    },
    'request',
    false,
  );
  if (probe instanceof Cluster) probe.options.clusterRetryStrategy = () => null;
  const note = (error: Error) => void (loginRefused(error) && refusals.push(error));
  probe.on('error', note);
  probe.on('node error', note);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    note(error as Error);
  } finally {
    probe.disconnect();
  }
  const refused = refusals[0] as (Error & { lastNodeError?: Error }) | undefined;
  if (refused) {
    const answer = refused.lastNodeError?.message ?? refused.message;
    throw new RedisLoginError(`${describeTarget(target)} refused the login: ${answer}${credentialsHint(refused)}`);
  }
}

function clusterOptions(redisOptions: RedisOptions, role: ConnectionRole, shardedSubscribers: boolean): ClusterOptions {
  const { enableOfflineQueue, lazyConnect, ...perNode } = redisOptions;
  return {
    lazyConnect,
    // BullMQ reads `redisOptions.maxRetriesPerRequest` of a cluster (null for its blocking client).
    redisOptions: perNode,
    // With TLS, nodes are dialled by the names they were given, not resolved to addresses first,
    // so each certificate is checked against its host name (ioredis' advice for ElastiCache).
    ...(perNode.tls && { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) }),
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
