// The API's configuration, read once from the environment.
import { join } from 'node:path';
import { integerSetting, sharedSettings } from '@headway/progress';
import { DEFAULT_MAX_BODY_BYTES } from './json-body.ts';

const list = (value = '') =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export const env = {
  ...sharedSettings(),
  host: process.env.HOST || '127.0.0.1',
  port: integerSetting('PORT', 3000),
  /** When set, every request but the health check, signing in and the web app's files needs it (one admin token, named `admin`). */
  apiToken: process.env.API_TOKEN || undefined,
  /** A JSON file of `[{ name, role, sha256 }]`: people's tokens and roles (`headway token new` makes a line). */
  tokensFile: process.env.HEADWAY_TOKENS_FILE || undefined,
  /** The key share links are signed with; without it, one is made once and kept in Redis. */
  shareKey: process.env.SHARE_KEY || undefined,
  /** Origins of other sites whose pages may call the API and open its sockets (comma-separated). */
  allowedOrigins: list(process.env.ALLOWED_ORIGINS),
  /** Host names the API is reached by, beside loopback names and HOST (comma-separated); others get 421. */
  allowedHosts: list(process.env.ALLOWED_HOSTS),
  /** Sockets one client address may hold open at once. */
  maxSocketsPerClient: integerSetting('MAX_SOCKETS_PER_CLIENT', 200, { min: 1 }),
  /** The largest request body read, in bytes; a larger one is refused with 413 before it is read. */
  maxBodyBytes: integerSetting('MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, { min: 1024 }),
  /** How often this API may sweep the artifacts of expired jobs (one API at a time does, under a Redis lock). */
  artifactSweepSeconds: integerSetting('ARTIFACT_SWEEP_SECONDS', 300, { min: 1 }),
  /** Where people reach the dashboard, for links in webhooks (default: http://HOST:PORT). */
  publicUrl: process.env.PUBLIC_URL || undefined,
  /** The built web app (`npm run build`). */
  webDist: process.env.WEB_DIST || join(import.meta.dirname, '../../web/dist'),
};
export type ApiEnv = typeof env;
