import { Elysia } from 'elysia';
import type { Services } from '../services.ts';

export const healthRoutes = (services: Services) =>
  new Elysia({ name: 'health' }).get('/healthz', async ({ set }) => {
    const redis = await services.redis.ping().then(
      () => 'ok' as const,
      () => 'down' as const,
    );
    if (redis !== 'ok') set.status = 503;
    return { status: redis === 'ok' ? 'ok' : 'degraded', redis };
  });
