// One way to open Redis connections, so reply shapes, retry behaviour and time bounds are the same
// everywhere, and one way to tell "Redis is unavailable" from other errors.
import { Redis, type RedisOptions } from 'ioredis';
import { serverLog } from '../server/server-log.ts';

export type ConnectionRole =
  /** BullMQ workers and blocking readers: commands wait for a reconnect instead of failing. */
  | 'blocking'
  /** Request paths (API producers): fail fast when Redis is down or frozen so callers get a 503. */
  | 'request';

/** A request path's command that gets no answer within this fails (a frozen or overloaded Redis). */
export const REQUEST_COMMAND_TIMEOUT_MS = 2000;
/** A request connection that cannot connect within this gives up the attempt (and retries). */
export const REQUEST_CONNECT_TIMEOUT_MS = 2000;

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    // RESP2 keeps XREAD and friends as plain arrays, the shape the stream codec reads.
    protocol: 2,
    maxRetriesPerRequest: role === 'blocking' ? null : 1,
    enableOfflineQueue: role === 'blocking',
    // Only request connections are bounded: a blocking read (XREAD BLOCK, BullMQ's BZPOPMIN) waits
    // longer than any bound on purpose, and a worker's commands must wait out an outage.
    ...(role === 'request' && { commandTimeout: REQUEST_COMMAND_TIMEOUT_MS, connectTimeout: REQUEST_CONNECT_TIMEOUT_MS }),
    ...extra,
  });
  // ioredis retries on its own; say so once per outage instead of an unhandled error per attempt.
  const where = url.replace(/\/\/[^@]*@/, '//***@');
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    serverLog.error('redis', `${where}: ${error.message}; reconnecting`);
  });
  redis.on('ready', () => {
    if (down) serverLog.error('redis', `${where}: reconnected`);
    down = false;
  });
  return redis;
}

const message = (error: unknown) => (error instanceof Error ? error.message : '');

/** Redis could not be reached, or did not answer in time: the same request may succeed later. */
export function isRedisUnavailable(error: unknown): boolean {
  return /Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable|max retries per request|Command timed out/i.test(
    message(error),
  );
}

/**
 * The command was sent but its answer never came (timed out, or the connection closed under it):
 * Redis may still run it, e.g. when a frozen server resumes.
 */
export function mayHaveRun(error: unknown): boolean {
  return /Command timed out|Connection is closed/i.test(message(error));
}
