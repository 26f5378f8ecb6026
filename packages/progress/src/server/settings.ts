// Settings every Headway process shares, read from the environment with their defaults in one place.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseHostPorts, type RedisSecurity, type RedisTopology } from '../redis/redis-connection.ts';
import { hashTag } from '../redis/redis-keys.ts';

type Env = Record<string, string | undefined>;

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function integerSetting(name: string, fallback: number, { min = 0, env = process.env as Env } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

export function sharedSettings(env: Env = process.env) {
  const dataDir = resolve(env.DATA_DIR || join(process.cwd(), '.data'));
  const eventRetentionSeconds = integerSetting('EVENT_RETENTION_SECONDS', 7 * 24 * 3600, { min: 1, env });
  const redis = redisTopology(env);
  return {
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    /**
     * REDIS_CLUSTER_NODES (a Redis Cluster) or REDIS_SENTINELS + REDIS_SENTINEL_NAME, with REDIS_PASSWORD,
     * REDIS_TLS…; else Redis is at redisUrl (a `server` topology when it has such settings beside it).
     */
    redisTopology: redis,
    /** Prefix of every Redis key, so several deployments can share one Redis; a hash tag on a cluster. */
    queuePrefix: queuePrefix(env, redis),
    eventStreamMaxLen: integerSetting('EVENT_STREAM_MAXLEN', 100_000, { min: 1, env }),
    eventRetentionSeconds,
    /** Where jobs write their working files, and the default artifact store's parent. */
    dataDir,
    /** A folder (default DATA_DIR/artifacts) shared by every API and worker. */
    artifactStore: env.ARTIFACT_STORE || join(dataDir, 'artifacts'),
    /** The largest artifact stored; a larger one is refused with a warn line (the job goes on). */
    maxArtifactBytes: integerSetting('MAX_ARTIFACT_BYTES', 100 * 1024 * 1024, { min: 1, env }),
    maxArtifactsPerJob: integerSetting('MAX_ARTIFACTS_PER_JOB', 200, { min: 1, env }),
    /** How long a finished job's artifacts are kept (default: as long as its events). */
    artifactRetentionSeconds: integerSetting('ARTIFACT_RETENTION_SECONDS', eventRetentionSeconds, { min: 1, env }),
    /** The pipelines' declarations (headway-config.ts), relative to the working directory. */
    configFile: resolve(env.HEADWAY_CONFIG || 'headway.config.ts'),
    /** One webhook beside the config file's (webhook-config.ts): set for the API and every worker. */
    webhookUrl: env.WEBHOOK_URL || undefined,
    webhookSecret: env.WEBHOOK_SECRET || undefined,
    /** `json` (default) or `slack`. */
    webhookFormat: env.WEBHOOK_FORMAT || undefined,
    /** One delivery attempt's limit, answer included. */
    webhookTimeoutMs: integerSetting('WEBHOOK_TIMEOUT_MS', 10_000, { min: 1, env }),
    /** Attempts per delivery, the n-th retry after WEBHOOK_BACKOFF_MS × 2^(n-1) (5 s … about 21 min). */
    webhookAttempts: integerSetting('WEBHOOK_ATTEMPTS', 10, { min: 1, env }),
    webhookBackoffMs: integerSetting('WEBHOOK_BACKOFF_MS', 5000, { min: 1, env }),
  };
}

/**
 * A cluster or Sentinels when their variable is set; the one server at REDIS_URL when only
 * credentials or TLS are; undefined means the one Redis at REDIS_URL, as its URL says.
 */
export function redisTopology(env: Env = process.env): RedisTopology | undefined {
  const { REDIS_CLUSTER_NODES: nodes, REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: name } = env;
  if (nodes && sentinels) throw new Error('set REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both');
  const security = redisSecurity(env);
  const secured = security && { security };
  if (nodes) return { kind: 'cluster', nodes: parseHostPorts('REDIS_CLUSTER_NODES', nodes), ...secured };
  if (sentinels) {
    if (!name) throw new Error("REDIS_SENTINELS needs REDIS_SENTINEL_NAME, the master's name in the Sentinels' config");
    return { kind: 'sentinel', sentinels: parseHostPorts('REDIS_SENTINELS', sentinels), name, ...secured };
  }
  return security && { kind: 'server', url: env.REDIS_URL || DEFAULT_REDIS_URL, security };
}

/** REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS, REDIS_TLS_CA_FILE, REDIS_SENTINEL_PASSWORD; undefined when none is set. */
export function redisSecurity(env: Env = process.env): RedisSecurity | undefined {
  const { REDIS_USERNAME: username, REDIS_PASSWORD: password, REDIS_SENTINEL_PASSWORD: sentinelPassword } = env;
  const caFile = env.REDIS_TLS_CA_FILE;
  const tls = booleanSetting('REDIS_TLS', env);
  if (username && !password) throw new Error('REDIS_USERNAME needs REDIS_PASSWORD, the password of that ACL user');
  // A rediss:// REDIS_URL turns TLS on too; any other way, a CA file with TLS off is a mistake.
  if (caFile && !tls && !env.REDIS_URL?.startsWith('rediss://')) {
    throw new Error('REDIS_TLS_CA_FILE is set but TLS is off: set REDIS_TLS=1 (or use a rediss:// REDIS_URL)');
  }
  const security: RedisSecurity = {
    ...(username && { username }),
    ...(password && { password }),
    ...((tls || caFile) && { tls: caFile ? { ca: readCaFile(caFile) } : {} }),
    ...(sentinelPassword && { sentinelPassword }),
  };
  return Object.keys(security).length > 0 ? security : undefined;
}

/** Read once at start: a CA the process cannot read is a set-up error, not a reconnect loop. */
function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`REDIS_TLS_CA_FILE "${path}" cannot be read: ${(error as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`REDIS_TLS_CA_FILE "${path}" holds no PEM certificate`);
  return pem;
}

/** 1/true or 0/false (unset or empty: false). */
function booleanSetting(name: string, env: Env): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '1' || raw === 'true') return true;
  if (raw === '' || raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 1, true, 0 or false, got "${env[name]}"`);
}

/**
 * QUEUE_PREFIX, `hw` by default (`{hw}` on a cluster). On a cluster, BullMQ's scripts touch
 * several keys of a queue at once, legal only when they share a slot: the prefix must be a hash tag.
 */
function queuePrefix(env: Env, redis: RedisTopology | undefined): string {
  const prefix = env.QUEUE_PREFIX || (redis?.kind === 'cluster' ? '{hw}' : 'hw');
  if (redis?.kind === 'cluster' && hashTag(prefix) === undefined) {
    throw new Error(
      `QUEUE_PREFIX "${prefix}" has no hash tag: on a Redis Cluster (REDIS_CLUSTER_NODES) it must hold one, e.g. "{${prefix}}", so BullMQ's keys of the queue share a slot`,
    );
  }
  return prefix;
}
