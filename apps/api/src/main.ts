// Starts one API process: reads the config, builds the app (which starts its relay, job-list feed
// and artifact sweep when it listens), listens, and stops it all on SIGINT or SIGTERM.
import { ConfigError, checkRedisLogin, loadConfig, RedisLoginError, serverLog } from '@headway/progress';
import { createApp } from './app.ts';
import { env } from './env.ts';
import { createServices } from './services.ts';
import { TokensFileError } from './tokens.ts';

const pipelines = await loadConfig(env.configFile, env).catch((error) => {
  serverLog.error('api', error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
await checkRedisLogin(env.redisTopology ?? env.redisUrl).catch((error) => {
  if (!(error instanceof RedisLoginError)) throw error;
  serverLog.error('api', error.message);
  process.exit(1);
});
const services = (() => {
  try {
    return createServices(env, pipelines);
  } catch (error) {
    if (!(error instanceof TokensFileError)) throw error;
    serverLog.error('api', error.message);
    process.exit(1);
  }
})();
const app = await createApp(services, { webDist: env.webDist, maxBodyBytes: env.maxBodyBytes });
// reusePort would let a second process bind the same port silently. Bun's own body limit is a
// backstop above the API's: up to it, an oversized body gets the API's JSON 413 naming the limit
// (json-body.ts); past it, Bun answers a bare 413 without calling the API.
app.listen({ hostname: env.host, port: env.port, reusePort: false, maxRequestBodySize: 2 * env.maxBodyBytes });
serverLog.info('api', `listening on http://${env.host}:${app.server?.port}`);
if (!services.access.tokenRequired && !['127.0.0.1', 'localhost', '::1'].includes(env.host)) {
  serverLog.warn(
    'api',
    `HOST is ${env.host} and neither API_TOKEN nor HEADWAY_TOKENS_FILE is set: anyone who can reach this port can run and cancel jobs`,
  );
}
if (['0.0.0.0', '::'].includes(env.host) && env.allowedHosts.length === 0) {
  serverLog.warn('api', 'only loopback host names are served (421 for others): set ALLOWED_HOSTS to the names this API is reached by');
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.stop();
  await services.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
