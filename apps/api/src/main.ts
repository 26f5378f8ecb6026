// Starts one API process: HTTP, WebSockets, the relay, the job-list feed and Bull Board.
import { ConfigError, loadConfig, serverLog } from '@headway/progress';
import { createApp } from './app.ts';
import { env } from './env.ts';
import { createServices } from './services.ts';

const pipelines = await loadConfig(env.configFile).catch((error) => {
  serverLog.error('api', error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
const services = createServices(env, pipelines);
const app = await createApp(services, { webDist: env.webDist });
// reusePort would let a second process bind the same port silently.
app.listen({ hostname: env.host, port: env.port, reusePort: false });
services.relay.start((topic, data) => app.server?.publish(topic, data));
services.jobListFeed.start((topic, data) => app.server?.publish(topic, data));
serverLog.info('api', `listening on http://${env.host}:${app.server?.port}`);
if (!env.apiToken && !['127.0.0.1', 'localhost', '::1'].includes(env.host)) {
  serverLog.warn('api', `HOST is ${env.host} and API_TOKEN is not set: anyone who can reach this port can run and cancel jobs`);
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
