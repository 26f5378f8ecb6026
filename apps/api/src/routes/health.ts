import { Elysia, t } from 'elysia';
import type { Services } from '../services.ts';

/**
 * A ping slower than this counts as Redis down: health checks must answer quickly, and a frozen or
 * overloaded Redis would otherwise hold them until the command timeout.
 */
const PING_DEADLINE_MS = 800;

const Health = t.Object({
  status: t.Union([t.Literal('ok'), t.Literal('degraded')]),
  redis: t.Union([t.Literal('ok'), t.Literal('down')], { description: `down: no answer to PING within ${PING_DEADLINE_MS} ms` }),
});

export const healthRoutes = (services: Services) =>
  new Elysia({ name: 'health' }).get(
    '/healthz',
    async ({ set }) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), PING_DEADLINE_MS)));
      const ping = services.redis.ping().then(
        () => 'ok' as const,
        () => 'down' as const,
      );
      const redis = await Promise.race([ping, late]).finally(() => clearTimeout(timer));
      if (redis !== 'ok') set.status = 503;
      return { status: redis === 'ok' ? ('ok' as const) : ('degraded' as const), redis };
    },
    { response: { 200: Health, 503: Health } },
  );
