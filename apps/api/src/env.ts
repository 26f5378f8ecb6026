// The API's configuration, read once from the environment.
import { join } from 'node:path';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
};

export const env = {
  host: process.env.HOST || '127.0.0.1',
  port: num('PORT', 3000),
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  queuePrefix: process.env.QUEUE_PREFIX || 'hw',
  eventStreamMaxLen: num('EVENT_STREAM_MAXLEN', 100_000),
  eventRetentionSeconds: num('EVENT_RETENTION_SECONDS', 7 * 24 * 3600),
  /** The built web app (`npm run build`). */
  webDist: process.env.WEB_DIST || join(import.meta.dir, '../../web/dist'),
};
export type ApiEnv = typeof env;
