// The API's configuration, read once from the environment.
import { join } from 'node:path';
import { integerSetting, sharedSettings } from '@headway/progress';

export const env = {
  ...sharedSettings(),
  host: process.env.HOST || '127.0.0.1',
  port: integerSetting('PORT', 3000),
  /** When set, every request but the health check, signing in and the web app's files needs it. */
  apiToken: process.env.API_TOKEN || undefined,
  /** Origins of other sites whose pages may call the API and open its sockets (comma-separated). */
  allowedOrigins: (process.env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),
  /** The built web app (`npm run build`). */
  webDist: process.env.WEB_DIST || join(import.meta.dirname, '../../web/dist'),
};
export type ApiEnv = typeof env;
