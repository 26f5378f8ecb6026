// The API in the test's own process, on a private redis-server: requests go through
// `app.handle(new Request(…))`, so route tests need no port and no spawned API. Nothing runs in the
// background (the app starts its relay and feeds only when it listens).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@headway/progress';
import { createApp } from '../../apps/api/src/app.ts';
import { type ApiEnv, env } from '../../apps/api/src/env.ts';
import { createServices, type Services } from '../../apps/api/src/services.ts';
import type { RedisHandle } from './redis-server.ts';

export interface InProcessApi {
  app: Awaited<ReturnType<typeof createApp>>;
  services: Services;
  /** Answers a request for `path` as the API would, with a loopback Host unless `init` names one. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** One API on `redis`, its keys under `queuePrefix` (one prefix an API, so several share a server). */
export async function inProcessApi(redis: RedisHandle, queuePrefix: string, settings: Partial<ApiEnv> = {}): Promise<InProcessApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hw-api-'));
  const apiEnv: ApiEnv = { ...env, redisUrl: redis.url, queuePrefix, dataDir, artifactStore: join(dataDir, 'artifacts'), ...settings };
  const services = createServices(apiEnv, await loadConfig(apiEnv.configFile));
  const app = await createApp(services, { webDist: apiEnv.webDist, maxBodyBytes: apiEnv.maxBodyBytes });
  return {
    app,
    services,
    request(path, { json, ...init } = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('host')) headers.set('host', 'localhost');
      if (json !== undefined) headers.set('content-type', 'application/json');
      const body = json !== undefined ? JSON.stringify(json) : init.body;
      return app.handle(new Request(`http://localhost${path}`, { ...init, headers, body }));
    },
    async stop() {
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
