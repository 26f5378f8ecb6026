// The API's configuration, read once from the environment.
import { join } from 'node:path';
import { integerSetting, sharedSettings } from '@headway/progress';

export const env = {
  ...sharedSettings(),
  host: process.env.HOST || '127.0.0.1',
  port: integerSetting('PORT', 3000),
  /** The built web app (`npm run build`). */
  webDist: process.env.WEB_DIST || join(import.meta.dirname, '../../web/dist'),
};
export type ApiEnv = typeof env;
