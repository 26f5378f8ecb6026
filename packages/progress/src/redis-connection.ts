// One way to open Redis connections, so reply shapes and retry behaviour are the same everywhere.
import { Redis, type RedisOptions } from 'ioredis';
import { serverLog } from './server-log.ts';

export type ConnectionRole =
  /** BullMQ workers and blocking readers: commands wait for a reconnect instead of failing. */
  | 'blocking'
  /** Request paths (API producers): fail fast when Redis is down so callers get a 503. */
  | 'request';

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    // RESP2 keeps XREAD and friends as plain arrays, the shape the stream codec reads.
    protocol: 2,
    maxRetriesPerRequest: role === 'blocking' ? null : 1,
    enableOfflineQueue: role === 'blocking',
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
